import { createIssuingCertificate, createRootCa, signAuditCheckpoint } from '@seatlock/shared';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin';
import { anchorOf, someHistory, sqlOn, verifyOf, withServer } from '../support/audit-checkpoints';
import { headSeq, rewriteEvent, truncateChain } from '../support/audit-tamper';
import { client } from '../support/http';

/**
 * The chain's head is signed (checkpoints in the database, anchors kept elsewhere). The attacker
 * writes to the database directly and knows how the chain is hashed, but holds no signing key.
 */
// The first half of these cases is in audit.test.ts: each starts a server, so two files run on two workers.
describe('signed audit checkpoints', { timeout: 240_000 }, () => {
  it('fails when the tail is deleted and the head pointed at what is left', () =>
    withServer(async (server) => {
      await someHistory(server);
      const anchor = await anchorOf(server);
      await truncateChain(sqlOn(server), anchor.seq - 3);
      expect(await verifyOf(server)).toMatchObject({ ok: false, brokenAt: anchor.seq - 2, reason: expect.stringContaining('missing') });
    }));

  it('fails on a forged checkpoint: signed by a key of another root, edited after signing, or a license put in its place', () =>
    withServer(async (server) => {
      await someHistory(server);
      const sql = sqlOn(server);
      const anchor = await anchorOf(server);
      const [approval] = await sql<{ seq: number }>("SELECT seq FROM audit_events WHERE action = 'order.approved'");
      const seq = Number(approval.seq);
      await rewriteEvent(sqlOn(server), seq, (row) => (row.data = row.data.replace(/"seats":\d+/, '"seats":9999')));
      await sql('DELETE FROM audit_checkpoints WHERE seq >= ?', [seq]);
      const [head] = await sql<{ hash: string }>('SELECT hash FROM audit_head WHERE id = 1');
      const attackerIssuer = createIssuingCertificate(createRootCa());
      const forged = await signAuditCheckpoint({ v: 1, seq: anchor.seq, hash: head.hash, iat: Math.floor(Date.now() / 1000) }, attackerIssuer);
      await sql("INSERT INTO audit_checkpoints (seq, hash, signed_at, token) VALUES (?, ?, 'now', ?)", [anchor.seq, head.hash, forged]);
      expect(await verifyOf(server)).toMatchObject({ ok: false, brokenAt: anchor.seq, reason: expect.stringContaining('not signed by a trusted key') });

      // The genuine checkpoint's signature over an edited payload.
      const [h, , signature] = anchor.anchor.split('.');
      const edited = `${h}.${Buffer.from(JSON.stringify({ v: 1, seq: anchor.seq, hash: head.hash, iat: Math.floor(Date.now() / 1000) })).toString('base64url')}.${signature}`;
      await sql('UPDATE audit_checkpoints SET token = ? WHERE seq = ?', [edited, anchor.seq]);
      expect(await verifyOf(server)).toMatchObject({ ok: false, brokenAt: anchor.seq, reason: expect.stringContaining('signature does not verify') });

      // A license is signed by the same issuing key, but it is not a checkpoint.
      const [device] = await sql<{ license: string }>('SELECT license FROM devices LIMIT 1');
      const licenseJws = device.license.replace(/-----[^-]+-----|\s/g, '');
      await sql('UPDATE audit_checkpoints SET token = ? WHERE seq = ?', [licenseJws, anchor.seq]);
      expect(await verifyOf(server)).toMatchObject({ ok: false, brokenAt: anchor.seq, reason: expect.stringContaining('not an audit checkpoint') });
    }));

  it('fails against an anchor taken earlier once the chain is rewritten, even with the later checkpoints deleted or the root replaced', () =>
    withServer(async (server) => {
      await someHistory(server);
      const sql = sqlOn(server);
      const anchor = await anchorOf(server);
      await someHistory(server, 2);
      const [approval] = await sql<{ seq: number }>("SELECT seq FROM audit_events WHERE action = 'order.approved' ORDER BY seq LIMIT 1");
      await rewriteEvent(sqlOn(server), Number(approval.seq), (row) => (row.actor = 'someone-else'));
      await sql('DELETE FROM audit_checkpoints WHERE seq >= ?', [Number(approval.seq)]);

      // What the database alone still holds is consistent: only the anchor kept elsewhere shows the rewrite.
      expect(await verifyOf(server)).toMatchObject({ ok: true });
      expect(await verifyOf(server, anchor.anchor)).toMatchObject({ ok: false, reason: expect.stringContaining('rewritten') });
      const cli = await runAdmin(['audit', 'verify', '--anchor', anchor.file], server.storageEnv);
      expect(cli.code).toBe(3);

      // The attacker's own root in the database, and the rewritten head signed under it: the anchor still tells.
      const attackerRoot = createRootCa();
      const attackerIssuer = createIssuingCertificate(attackerRoot);
      const [head] = await sql<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
      await sql("UPDATE signing_keys SET certificate = ? WHERE kind = 'root'", [attackerRoot.certificatePem]);
      const forged = await signAuditCheckpoint({ v: 1, seq: Number(head.seq), hash: head.hash, iat: Math.floor(Date.now() / 1000) }, attackerIssuer);
      await sql('DELETE FROM audit_checkpoints');
      await sql("INSERT INTO audit_checkpoints (seq, hash, signed_at, token) VALUES (?, ?, 'now', ?)", [Number(head.seq), head.hash, forged]);
      expect(await verifyOf(server)).toMatchObject({ ok: true });
      expect(await verifyOf(server, anchor.anchor)).toMatchObject({ ok: false, reason: expect.stringContaining('the anchor is not valid') });
    }));

  it('signs the head after a key operation and when the server stops', () =>
    withServer(
      async (server) => {
        await client(server.url, server.adminToken).post('/v1/customers', { name: 'Before the rotation' });
        const rotated = await runAdmin(['keys', 'rotate'], server.storageEnv);
        expect(rotated.code, rotated.stderr).toBe(0);
        const [rotation] = await sqlOn(server)<{ seq: number }>("SELECT seq FROM audit_events WHERE action = 'keys.rotated'");
        const [signed] = await sqlOn(server)<{ seq: number }>('SELECT MAX(seq) AS seq FROM audit_checkpoints');
        expect(Number(signed.seq)).toBe(Number(rotation.seq));

        await client(server.url, server.adminToken).post('/v1/customers', { name: 'Before the stop' });
        await server.stop();
        const [last] = await sqlOn(server)<{ seq: number }>('SELECT MAX(seq) AS seq FROM audit_checkpoints');
        expect(Number(last.seq)).toBe(await headSeq(sqlOn(server)));
      },
      { SEATLOCK_AUDIT_CHECKPOINT_EVENTS: '1000' },
    ));

  it('signs the head of a quiet chain within the configured seconds', () =>
    withServer(
      async (server) => {
        await client(server.url, server.adminToken).post('/v1/customers', { name: 'Quiet' });
        const events = await headSeq(sqlOn(server));
        let verdict = await verifyOf(server);
        for (let i = 0; i < 300 && verdict.signedThrough < events; i++) {
          await new Promise((r) => setTimeout(r, 100));
          verdict = await verifyOf(server);
        }
        expect(verdict).toMatchObject({ ok: true, signedThrough: events });
      },
      { SEATLOCK_AUDIT_CHECKPOINT_EVENTS: '1000', SEATLOCK_AUDIT_CHECKPOINT_SECONDS: '1' },
    ));
});
