import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './command-line';
import { readDevice } from './device';
import { agentEnvironment } from './environment';
import { deviceCopy, FIXTURES, tempDir, testPki } from './spec-support';

let pki: ReturnType<typeof testPki>;
let server: Server;
let serverUrl: string;
/** What the stub license server answers next. */
let reply: { status: number; body: unknown } = { status: 500, body: {} };
let lastRequest: Record<string, unknown> = {};

beforeAll(async () => {
  pki = testPki();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      lastRequest = { path: req.url, ...JSON.parse(body || '{}') };
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function agent(args: string[], fixture = 'android-rk3568', extra: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { SEATLOCK_SYSROOT: deviceCopy(fixture), SEATLOCK_HOME: join(tempDir(), 'home'), SEATLOCK_TRUST_ROOT: pki.rootPath, ...extra };
  const code = await run(args, env, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join(''), env };
}

describe('seatlock-agent command line', () => {
  it.each([[[]], [['frobnicate']], [['verify', '--bogus']], [['verify', 'extra']], [['install']], [['activate', '--code', 'X']], [['request', '--out', 'f']]])(
    'exits 2 on a usage error: %j',
    async (args) => {
      const { code, err } = await agent(args);
      expect(code).toBe(2);
      expect(err).toMatch(/Usage: seatlock-agent/);
    },
  );

  it('exits 2 on an invalid config file', async () => {
    const { code, err } = await agent(['fingerprint'], 'android-rk3568', { SEATLOCK_CONFIG: join(tempDir(), 'missing.json') });
    expect(code).toBe(2);
    expect(err).toMatch(/Invalid agent config/);
  });

  it('prints {valid, code, license, match} for verify --json', async () => {
    const { code, out } = await agent(['verify', '--json']);
    expect(code).toBe(10);
    expect(JSON.parse(out)).toMatchObject({ valid: false, code: 10, license: null, match: null });
  });

  it('shows hashes, never raw values, in fingerprint --json', async () => {
    const { code, out } = await agent(['fingerprint', '--json']);
    expect(code).toBe(0);
    const shown = JSON.parse(out);
    expect(shown).toMatchObject({ platform: 'android', supported: true, strong: true });
    expect(Object.keys(shown.fingerprint.components)).toEqual(['android.serial', 'soc.serial', 'emmc.cid', 'net.mac.eth0']);
    for (const raw of ['A7K3Q9X2M4', '3a91f0c2d4e5b6a7', '150100434a544134520e8f2b61a3c400', 'b8:27:eb']) expect(out.toLowerCase()).not.toContain(raw.toLowerCase());
  });

  it('activates against the server, stores the license and then verifies offline', async () => {
    const sysroot = deviceCopy('hi3516dv300-emmc');
    const env = { SEATLOCK_SYSROOT: sysroot, SEATLOCK_HOME: join(tempDir(), 'home'), SEATLOCK_TRUST_ROOT: pki.rootPath };
    const fingerprint = readDevice(agentEnvironment(env)).fingerprint;
    reply = { status: 201, body: { deviceId: 'dev-9', license: await pki.sign(fingerprint, { platform: 'hisilicon-dv300' }), seats: 50, seatsUsed: 1 } };
    const io = { out: () => undefined, err: () => undefined };
    expect(await run(['activate', '--server', serverUrl, '--code', 'CODE-1'], env, io)).toBe(0);
    expect(lastRequest).toMatchObject({ path: '/v1/activations', activationCode: 'CODE-1', platform: 'hisilicon-dv300', fingerprint });
    expect(await run(['verify', '--feature', 'face.search-1toN'], env, io)).toBe(0);
  });

  it("reports the server's error code and message when activation is refused", async () => {
    reply = { status: 409, body: { error: { code: 'SEATS_EXHAUSTED', message: 'All 50 seats of this pool are used.' } } };
    const { code, err } = await agent(['activate', '--server', serverUrl, '--code', 'CODE-1']);
    expect(code).toBe(1);
    expect(err).toMatch(/SEATS_EXHAUSTED: All 50 seats/);
  });

  it('will not take a seat when it could not verify the license it gets', async () => {
    lastRequest = {};
    const { code, err } = await agent(['activate', '--server', serverUrl, '--code', 'CODE-1'], 'android-rk3568', { SEATLOCK_TRUST_ROOT: '' });
    expect(code).toBe(1);
    expect(err).toMatch(/no embedded root certificate and SEATLOCK_TRUST_ROOT is not set/);
    expect(lastRequest).toEqual({});
  });

  it('says which server it could not reach', async () => {
    const { code, err } = await agent(['activate', '--server', 'http://127.0.0.1:9', '--code', 'CODE-1']);
    expect(code).toBe(1);
    expect(err).toMatch(/Cannot reach the license server at http:\/\/127.0.0.1:9/);
  });

  it('refuses a board with no strong component before anything is sent, naming what to provide', async () => {
    const out = join(tempDir(), 'request.txt');
    const { code, err } = await agent(['request', '--code', 'CODE-1', '--out', out], 'hi3516dv300-zero-serial');
    expect(code).toBe(1);
    expect(err).toMatch(/WEAK_FINGERPRINT/);
    expect(err).toMatch(/emmc\.cid/);
    expect(err).toMatch(/chip unique id/);
  });

  it('exits 12 when installing a license made for another device', async () => {
    const other = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: join(FIXTURES, 'hi3516dv300-emmc') }));
    const file = join(tempDir(), 'other.lic');
    writeFileSync(file, await pki.sign(other.fingerprint, { platform: 'android' }));
    const { code, err } = await agent(['install', file]);
    expect(code).toBe(12);
    expect(err).toMatch(/License refused: The license belongs to another device/);
  });
});
