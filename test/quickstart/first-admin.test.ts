import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin';
import { newDevice, runAgent } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

describe('a first admin and a first device, from the terminal', { timeout: 120_000 }, () => {
  let server: StartedServer;
  beforeAll(async () => {
    // A newcomer's server: its own first start, keys and all.
    server = await startServer({ firstStart: true });
  });
  afterAll(() => server?.stop());

  it('`users invite` prints the link to open, which sets the password of a person with a display name', async () => {
    const invited = await runAdmin(['users', 'invite', '--email', 'ada@first-admin.example', '--role', 'admin', '--name', ' Ada Lovelace '], {
      ...server.storageEnv,
      SEATLOCK_PUBLIC_URL: `${server.url}/`,
    });
    expect(invited.code, invited.stderr).toBe(0);
    const { link, invite } = JSON.parse(invited.stdout) as { link: string; invite: string };
    expect(link).toBe(`${server.url}/accept-invite?invite=${encodeURIComponent(invite)}`);
    // What the console's accept page sends with the invite it reads from that link.
    const fromLink = new URL(link).searchParams.get('invite') as string;
    const accepted = await client(server.url).post('/v1/users/accept', { invite: fromLink, password: 'a long enough password 1' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ email: 'ada@first-admin.example', name: 'Ada Lovelace', status: 'active' });

    // Without SEATLOCK_PUBLIC_URL the link names this machine at the server's PORT.
    const local = await runAdmin(['users', 'invite', '--email', 'grace@first-admin.example', '--role', 'auditor'], { ...server.storageEnv, PORT: '8123', SEATLOCK_PUBLIC_URL: '' });
    expect(local.code, local.stderr).toBe(0);
    expect(JSON.parse(local.stdout).link).toMatch(/^http:\/\/localhost:8123\/accept-invite\?invite=slinv_/);
  });

  it('POST /v1/users takes a display name under the humanText rule, and the list shows it', async () => {
    const admin = client(server.url, server.adminToken);
    const refused = await admin.post('/v1/users', { email: 'eve@first-admin.example', role: 'auditor', name: 'Eve\u202Egnp.exe' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_REQUEST');
    const created = await admin.post('/v1/users', { email: 'lin@first-admin.example', role: 'issuer', name: 'Lin Hui\u0301' });
    expect(created.status).toBe(201);
    const listed = await admin.get('/v1/users?limit=100');
    const names = new Map((listed.body.items as { email: string; name: string | null }[]).map((user) => [user.email, user.name]));
    expect(names.get('lin@first-admin.example')).toBe('Lin Huí');
    expect(names.get('grace@first-admin.example')).toBeNull();
    expect(names.has('eve@first-admin.example')).toBe(false);
  });

  it('`trust export` writes the root certificate a development agent needs as SEATLOCK_TRUST_ROOT', async () => {
    const work = mkdtempSync(join(tmpdir(), 'seatlock-trust-export-'));
    const out = join(work, 'root.pem');
    const exported = await runAdmin(['trust', 'export', '--out', out], server.storageEnv);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({ file: out });
    expect(readFileSync(out, 'utf8')).toBe((await client(server.url).get('/v1/trust')).body.root);

    const pool = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const board = newDevice('android-rk3568');
    const withoutRoot = await runAgent(board, ['activate', '--server', server.url, '--code', pool.activationCode]);
    expect(withoutRoot.code).not.toBe(0);
    expect(withoutRoot.stderr).toMatch(/no embedded root certificate and SEATLOCK_TRUST_ROOT is not set/);
    const activated = await runAgent(board, ['activate', '--server', server.url, '--code', pool.activationCode], { trustRoot: out });
    expect(activated.code, activated.stderr).toBe(0);
    expect((await runAgent(board, ['verify'], { trustRoot: out })).code).toBe(0);
  });
});
