import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_AGENT, newDevice, runAgent, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

const DEV_AGENT_SYSTEM = DEV_AGENT.replace(/\.js$/, '.system.js');
/** Raw identity values of the android-rk3568 fixture, as read and as normalized. */
const RAW_ANDROID = ['A7K3Q9X2M4', '3a91f0c2d4e5b6a7', '150100434a544134520e8f2b61a3c400', 'b8:27:eb:4a:11:c3', 'b827eb4a11c3', 'B827EB4A11C3', '3A91F0C2D4E5B6A7'];

describe('seatlock-agent diagnose: the support report', () => {
  let server: StartedServer;
  let work: string;
  let rootPath: string;
  const agent = (device: TestDevice, args: string[], env?: NodeJS.ProcessEnv, agentFile?: string) => runAgent(device, args, { trustRoot: rootPath, env, agent: agentFile });

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-diagnose-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
  });
  afterAll(() => server?.stop());

  it('shows each component looked for, where, and what was found (hashes and lengths only), the platform decision, the license verdicts, the clock record and the system', async () => {
    const device = newDevice('android-rk3568');
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-liveness', modality: 'ir', trial: true });
    expect((await agent(device, ['activate', '--server', server.url, '--code', activationCode])).code).toBe(0);

    const run = await agent(device, ['diagnose', '--json']);
    expect(run.code, run.stderr).toBe(0);
    for (const raw of RAW_ANDROID) expect(run.stdout).not.toContain(raw);
    const report = JSON.parse(run.stdout);
    expect(report.platform).toMatchObject({ platform: 'android', supported: true, reason: 'system/build.prop is present' });
    const byName = Object.fromEntries(report.components.map((c: any) => [c.name, c]));
    expect(byName['android.serial']).toMatchObject({ status: 'found', strong: true, length: 10, hash: expect.any(String), where: expect.stringContaining('proc/cmdline') });
    expect(byName['emmc.cid']).toMatchObject({ status: 'found', length: 32 });
    expect(byName['net.mac.wlan0']).toMatchObject({ status: 'placeholder', strong: false, where: 'sys/class/net/wlan0/address' });
    expect(report.strong).toBe(true);
    expect(report.licenses).toEqual([expect.objectContaining({ kind: 'trial', product: 'face-liveness', verdict: expect.objectContaining({ code: 0, status: 'VALID' }) })]);
    expect(report.clock).toEqual([
      { file: join(device.home, 'clock.json'), status: 'ok' },
      { file: join(device.home, 'licenses/clock.json'), status: 'ok' },
    ]);
    expect(report.system.os).toMatchObject({ ok: true, value: { platform: 'linux', kernel: expect.any(String) } });
    expect(report.system.memory).toMatchObject({ ok: true, value: { totalBytes: expect.any(Number) } });

    const text = await agent(device, ['diagnose']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/net\.mac\.wlan0 +placeholder +weak +hash \S+, 12 characters/);
    for (const raw of RAW_ANDROID) expect(text.stdout).not.toContain(raw);
  });

  it('tells why a board is refused WEAK_FINGERPRINT: its strong components missing or placeholders', async () => {
    const run = await agent(newDevice('hi3516dv300-zero-serial'), ['diagnose', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.platform.reason).toMatch(/cpuinfo Hardware .* names a HiSilicon SoC/);
    expect(report.strong).toBe(false);
    expect(report.components.map((c: any) => [c.name, c.status])).toEqual([
      ['emmc.cid', 'missing'],
      ['soc.serial', 'placeholder'],
      ['board.serial', 'missing'],
      ['net.mac.eth0', 'placeholder'],
    ]);
    expect(report.licenses).toEqual([]);
  });

  it('completes where the commands systeminformation runs are missing (BusyBox, Android), saying which parts failed', async () => {
    const emptyPath = join(work, 'empty-path');
    mkdirSync(emptyPath, { recursive: true });
    const run = await agent(newDevice('android-rk3568'), ['diagnose', '--json'], { PATH: emptyPath });
    expect(run.code, run.stderr).toBe(0);
    const { system } = JSON.parse(run.stdout);
    expect(system.storage).toEqual({ ok: false, error: expect.stringContaining('missing on this system') });
    expect(system.memory.ok).toBe(true);
  });

  it('keeps systeminformation out of the boot path: the agent file holds none of it, and verify runs without the second file', async () => {
    expect(existsSync(DEV_AGENT_SYSTEM)).toBe(true);
    expect(readFileSync(DEV_AGENT, 'utf8')).not.toContain('systeminformation');
    const alone = join(work, 'alone');
    mkdirSync(alone, { recursive: true });
    const agentAlone = join(alone, 'seatlock-agent.dev.js');
    copyFileSync(DEV_AGENT, agentAlone);

    const device = newDevice('hi3516dv300-emmc');
    const { activationCode } = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    expect((await agent(device, ['activate', '--server', server.url, '--code', activationCode], undefined, agentAlone)).code).toBe(0);
    expect((await agent(device, ['verify'], undefined, agentAlone)).code).toBe(0);
    const run = await agent(device, ['diagnose', '--json'], undefined, agentAlone);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.system.unavailable).toMatch(/could not be loaded .*seatlock-agent\.dev\.system\.js/);
    expect(report.licenses[0].verdict.code).toBe(0);
  });
});
