import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../support/accounts';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

// Devices, applications and audit events download as CSV with the filters of their lists.
describe('CSV exports', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
  });
  afterAll(() => server?.stop());

  const lines = (body: string) => body.split('\r\n').filter(Boolean);

  it("exports a pool's devices as a CSV download, and a customer only its own", async () => {
    const ours = await approvedPool(server.url, server.adminToken, { trial: true });
    const theirs = await approvedPool(server.url, server.adminToken, { trial: true });
    const ids: string[] = [];
    for (const [pool, seed] of [[ours, 'export-1'], [ours, 'export-2'], [theirs, 'export-3']] as const) {
      const activated = await client(server.url).post('/v1/activations', { activationCode: pool.activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });
      ids.push(activated.body.deviceId);
    }
    const answer = await admin.get(`/v1/devices/export?poolId=${ours.poolId}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="devices.csv"');
    const rows = lines(answer.body as string);
    expect(rows[0]).toBe('id,hardwareLabel,platform,status,poolId,customerId,licenseId,activatedAt,revokedAt');
    expect(rows.slice(1).map((row) => row.split(',')[0])).toEqual(ids.slice(0, 2));

    const user = await createUser(server.url, server.adminToken, { email: 'export@ours.example', role: 'customer', customerId: ours.customerId });
    const customer = await signIn(server.url, user.email);
    expect(lines((await customer.get('/v1/devices/export')).body as string).slice(1).map((row) => row.split(',')[0])).toEqual(ids.slice(0, 2));
    expect(lines((await customer.get(`/v1/devices/export?poolId=${theirs.poolId}`)).body as string)).toHaveLength(1);
    expect((await admin.get('/v1/devices/export?status=revoked')).body).toBe('id,hardwareLabel,platform,status,poolId,customerId,licenseId,activatedAt,revokedAt\r\n');
  });

  it('exports applications in fen with the reviewer reason, defusing a name a spreadsheet would run', async () => {
    const customerId = (await admin.post('/v1/customers', { name: '=HYPERLINK("http://x")' })).body.id as string;
    const issuer = client(server.url, (await admin.post('/v1/tokens', { role: 'issuer', name: 'export desk' })).body.token);
    const order = await issuer.post('/v1/orders', { customerId, product: 'face-detection', quantity: 60 });
    await admin.post(`/v1/orders/${order.body.id}/reject`, { reason: 'no budget, this year' });
    const rows = lines((await admin.get(`/v1/orders/export?customerId=${customerId}`)).body as string);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`${order.body.id},${customerId},"'=HYPERLINK(""http://x"")",face-detection,,60,6800,408000,rejected,"no budget, this year",`);
    expect(lines((await admin.get('/v1/trials/export?status=submitted')).body as string)[0]).toMatch(/^id,customerId,customerName,product,/);
  });

  it('exports the audit log newest first with actor names', async () => {
    const rows = lines((await client(server.url, (await admin.post('/v1/tokens', { role: 'auditor', name: 'auditor' })).body.token).get('/v1/audit/export')).body as string);
    expect(rows[0]).toBe('seq,at,action,actor,actorName,subject,customerName,data,hash');
    const seqs = rows.slice(1).map((row) => Number(row.split(',')[0]));
    expect(seqs.length).toBeGreaterThan(5);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(rows[1]).toContain('token.created');
  });
});
