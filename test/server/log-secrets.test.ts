import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cookieOf, sessionClient, TEST_PASSWORD } from '../support/accounts';
import { newDevice, readLicense, runAgent, storedLicenses, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint, issuerToken } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

/** Files of a device tree that hold hardware identifiers, and the kernel command line (which holds the Android serial). */
const IDENTIFIER_FILE = /(\/cid|\/serial_number|\/address|chip-id|\/cmdline)$/;

/** The raw identifier values of a fixture tree: what the agent reads and must send only hashed. */
function rawIdentifiers(device: TestDevice): string[] {
  const values: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (IDENTIFIER_FILE.test(path)) values.push(...readFileSync(path, 'utf8').trim().split(/\s+/).map((part) => part.replace(/^androidboot\.serialno=/, '')));
    }
  };
  walk(device.sysroot);
  // Placeholders (all zeros, the locally administered default) identify nothing.
  return values.filter((value) => /[1-9a-f]/i.test(value.replace(/^02:00:00:00:00:00$/, '')) && value.length >= 8 && !value.includes('='));
}

describe('the server logs of a whole run', { timeout: 120_000 }, () => {
  let server: StartedServer | undefined;
  afterAll(() => server?.stop());

  it('hold a request id on every request line and one access line per request, and none of the secrets the run used', async () => {
    server = await startServer({ env: { LOG_LEVEL: 'trace' } });
    const { url, adminToken } = server;
    const secrets = new Map<string, string>([['admin token', adminToken]]);
    const requestIds = new Set<string>();
    const track = <T extends { headers: Headers }>(answer: T): T => {
      requestIds.add(answer.headers.get('x-request-id') as string);
      return answer;
    };
    const admin = client(url, adminToken);

    track(await client(url).get('/v1/quote?product=face-recognition&quantity=1000'));
    const pool = await approvedPool(url, adminToken, { quantity: 100, product: 'face-recognition', modality: 'ir' });
    secrets.set('first activation code', pool.activationCode);
    secrets.set('issuer token', await issuerToken(url, adminToken));

    // A customer's own token; the customer changes the pool's code, which reveals the new one.
    const customer = track(await admin.post('/v1/tokens', { role: 'customer', name: 'customer app', customerId: pool.customerId }));
    secrets.set('customer token', customer.body.token);
    const changed = track(await client(url, customer.body.token).post(`/v1/pools/${pool.poolId}/activation-code`));
    expect(changed.status).toBe(200);
    const activationCode: string = changed.body.activationCode;
    secrets.set('changed activation code', activationCode);

    // A person: invited, accepts with a password, signs in, fails once, signs out.
    const invited = track(await admin.post('/v1/users', { email: 'ops@example.com', role: 'auditor' }));
    secrets.set('invite', invited.body.invite);
    secrets.set('password', TEST_PASSWORD);
    expect(track(await client(url).post('/v1/users/accept', { invite: invited.body.invite, password: TEST_PASSWORD })).status).toBe(200);
    const wrongPassword = 'not the password at all 123';
    secrets.set('wrong password', wrongPassword);
    expect(track(await client(url).post('/v1/session', { email: 'ops@example.com', password: wrongPassword })).status).toBe(401);
    const signedIn = track(await client(url).post('/v1/session', { email: 'ops@example.com', password: TEST_PASSWORD }));
    const cookie = cookieOf(signedIn);
    secrets.set('session cookie', cookie.split('=')[1]);
    const session = sessionClient(url, cookie);
    expect(track(await session.get('/v1/me')).status).toBe(200);
    expect(track(await session.delete('/v1/session')).status).toBe(204);
    const guessedToken = 'slt_guessed-token-that-does-not-exist';
    secrets.set('guessed token', guessedToken);
    expect(track(await client(url, guessedToken).get('/v1/customers')).status).toBe(401);

    // Devices: one online through the agent, one offline with request and answer files.
    const work = mkdtempSync(join(tmpdir(), 'seatlock-log-scan-'));
    const trustRoot = join(work, 'root.pem');
    writeFileSync(trustRoot, track(await client(url).get('/v1/trust')).body.root);
    const online = newDevice('android-rk3568');
    const activated = await runAgent(online, ['activate', '--server', url, '--code', activationCode], { trustRoot });
    expect(activated.code, activated.stderr).toBe(0);
    const onlineLicense = readLicense(storedLicenses(online)[0]);
    secrets.set('online license', onlineLicense);
    const offline = newDevice('hi3516dv300-emmc');
    const requestFile = join(work, 'request.txt');
    expect((await runAgent(offline, ['request', '--code', activationCode, '--out', requestFile], { trustRoot })).code).toBe(0);
    const offlineAnswer = track(await client(url).post('/v1/activations/offline', readFileSync(requestFile, 'utf8')));
    expect(offlineAnswer.status).toBe(201);
    secrets.set('offline license', offlineAnswer.body as string);
    secrets.set('offline request', readFileSync(requestFile, 'utf8').trim());
    // A refused activation, with a code that is wrong.
    const wrongCode = `${activationCode.slice(0, -6)}zzzzzz`;
    secrets.set('wrong activation code', wrongCode);
    const refused = track(await client(url).post('/v1/activations', { activationCode: wrongCode, platform: 'android', fingerprint: deviceFingerprint('log-scan') }));
    expect(refused.body.error.code).toBe('INVALID_ACTIVATION_CODE');

    const devices = track(await client(url, customer.body.token).get(`/v1/devices?poolId=${pool.poolId}`));
    for (const device of devices.body.items) track(await client(url, customer.body.token).get(`/v1/devices/${device.id}/license`));
    for (const [i, value] of [...rawIdentifiers(online), ...rawIdentifiers(offline)].entries()) secrets.set(`raw identifier ${i}`, value);
    expect(secrets.get('raw identifier 0')).toBeDefined();

    await server.stop();
    const logs = server.output();
    // Every line is JSON but the one "listening" line on stdout.
    const lines = logs.split('\n').filter((line) => line !== '' && !line.startsWith('Seatlock server listening on '));
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; req: { id: string } });
    const access = entries.filter((entry) => entry.msg === 'request completed');
    for (const id of requestIds) expect(access.filter((entry) => entry.req.id === id), `one access line for request ${id}`).toHaveLength(1);
    for (const entry of access) expect(entry.req.id, JSON.stringify(entry)).toMatch(/\S/);

    for (const [what, secret] of secrets) {
      expect(secret.length, what).toBeGreaterThanOrEqual(8);
      expect(logs.includes(secret), `${what} appears in the logs`).toBe(false);
      // Licenses and request files also by their parts: a signature or payload alone is a leak too.
      for (const part of secret.split(/[\s.]+/).filter((p) => p.length >= 24)) expect(logs.includes(part), `part of ${what} appears in the logs`).toBe(false);
    }
  });
});
