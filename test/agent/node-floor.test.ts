import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneDevice, newDevice, runAgent, storedLicenses, type AgentRunOptions, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { requiredInCi } from '../support/requirement';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

// The device bundle's floor is Node 18 (Debian 12 and many board vendors' images ship it), below
// the Node the project builds and tests on. CI fetches a Node 18 binary (`.ci/fetch-node 18`).
const node18 = requiredInCi(
  process.env.SEATLOCK_TEST_NODE18,
  'Node 18 for the device bundle floor test',
  'set SEATLOCK_TEST_NODE18=$(.ci/fetch-node 18)',
);
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe.skipIf(!node18)('agent bundle on Node 18: the same answers and exit codes', () => {
  let server: StartedServer;
  let work: string;
  let rootPath: string;
  const agent = (device: TestDevice, args: string[], options: AgentRunOptions = {}) => runAgent(device, args, { trustRoot: rootPath, node: node18, ...options });

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-node18-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
  });

  afterAll(() => server?.stop());

  it('runs on Node 18 without flags', () => {
    expect(execFileSync(node18!, ['--version'], { encoding: 'utf8' })).toMatch(/^v18\./);
  });

  it('prints the same fingerprint as on the Node running the tests', async () => {
    const device = newDevice('android-rk3568');
    const old = await agent(device, ['fingerprint', '--json']);
    expect(old).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(old.stdout)).toEqual(JSON.parse((await agent(device, ['fingerprint', '--json'], { node: process.execPath })).stdout));
  });

  it('activates online and verifies: exit 0; a copied license or home answers 12', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-liveness', modality: 'ir' });
    const device = newDevice('hi3516dv300-emmc');
    expect(await agent(device, ['activate', '--server', server.url, '--code', activationCode])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^activated: device /), stderr: '' });
    const verified = await agent(device, ['verify', '--feature', 'face.liveness', '--json']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, code: 0, license: { kind: 'perpetual', product: 'face-liveness' } });
    expect((await agent(device, ['verify', '--feature', 'face.search-1toN'])).code).toBe(15);

    const [license] = storedLicenses(device);
    const other = newDevice('hi3516dv300-nand');
    expect((await agent(other, ['install', license])).code).toBe(12);
    expect((await agent({ ...other, home: cloneDevice(device).home }, ['verify'])).code).toBe(12);
  });

  it('activates offline: request → server → install → verify: exit 0', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const device = newDevice('android-rk3568');
    const requestFile = join(work, 'request.txt');
    expect((await agent(device, ['request', '--code', activationCode, '--out', requestFile])).code).toBe(0);
    const answer = await client(server.url).post('/v1/activations/offline', readFileSync(requestFile, 'utf8'));
    expect(answer.status).toBe(201);
    const licenseFile = join(work, 'device.lic');
    writeFileSync(licenseFile, answer.body);
    expect((await agent(device, ['install', licenseFile])).code).toBe(0);
    expect((await agent(device, ['verify'])).code).toBe(0);
  });

  it('provisions a line: request into a directory, provision, install from the bundle (0, or 12 for a board not in it), diagnose', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const line = join(work, 'line');
    mkdirSync(line);
    const device = newDevice('android-rk3568');
    expect((await agent(device, ['request', '--code', activationCode, '--out', line])).code).toBe(0);
    const bundle = join(work, 'line.bundle');
    const provisioned = await agent(device, ['provision', '--server', server.url, '--in', line, '--out', bundle]);
    expect(provisioned.code, provisioned.stderr).toBe(0);
    expect(provisioned.stdout).toContain('created 1, existing 0, refused 0');
    expect((await agent(device, ['install', bundle])).code).toBe(0);
    expect((await agent(device, ['verify'])).code).toBe(0);
    expect((await agent(newDevice('hi3516dv300-emmc'), ['install', bundle])).code).toBe(12);
    const report = await agent(device, ['diagnose', '--json']);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ strong: true, licenses: [{ verdict: { code: 0 } }], system: { os: { ok: true } } });
  });

  it('keeps a trial honest: 14 for a clock wound back, 13 once it has expired', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-detection', trial: true });
    const device = newDevice('hi3516dv300-emmc');
    expect((await agent(device, ['activate', '--server', server.url, '--code', activationCode])).code).toBe(0);
    expect((await agent(device, ['verify'], { now: inDays(10) })).code).toBe(0);
    expect((await agent(device, ['verify'], { now: inDays(2) })).code).toBe(14);
    expect((await agent(device, ['verify'], { now: inDays(61) })).code).toBe(13);
  });

  it('answers 10 without a license and 11 for an untrusted one', async () => {
    const device = newDevice('hi3516dv300-emmc');
    expect((await agent(device, ['verify'])).code).toBe(10);
    const foreign = join(work, 'foreign.lic');
    writeFileSync(foreign, '-----BEGIN SEATLOCK LICENSE-----\neyJhbGciOiJQUzI1NiJ9.e30.AAAA\n-----END SEATLOCK LICENSE-----\n');
    expect((await agent(device, ['install', foreign])).code).toBe(11);
  });
});
