import { VERIFY_CODES } from '@seatlock/shared';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRun, DEV_AGENT, newDevice, readClockRecord, runAgent, setDeviceFile, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { requiredInCi } from '../support/requirement';
import { approvedPool } from '../support/seatlock';
import { REPO_ROOT, type StartedServer, startServer } from '../support/server';

const run = promisify(execFile);
const DEPLOY = join(REPO_ROOT, 'deploy');

describe('deploy/systemd/seatlock-server.service', () => {
  const analyze = requiredInCi(spawnSync('systemd-analyze', ['--version']).status === 0 ? 'systemd-analyze' : undefined, 'systemd-analyze', 'apt-get install systemd');

  /** The unit as installed from this checkout: /opt/seatlock is the repository, node the one running the tests. */
  function installedUnit(): string {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-unit-'));
    const unit = join(dir, 'seatlock-server.service');
    const text = readFileSync(join(DEPLOY, 'systemd/seatlock-server.service'), 'utf8').replaceAll('/opt/seatlock', REPO_ROOT).replaceAll('/usr/bin/node', process.execPath);
    writeFileSync(unit, text);
    return unit;
  }

  it.runIf(analyze)('passes systemd-analyze verify without a warning and starts the compiled server', async () => {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', installedUnit()]);
    expect(stdout + stderr).toBe('');
    const unit = readFileSync(join(DEPLOY, 'systemd/seatlock-server.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/seatlock\/server\/dist\/bin\/server\.js$/m);
    expect(existsSync(join(REPO_ROOT, 'server/dist/bin/server.js'))).toBe(true);
  });

  it.runIf(analyze)('runs as its own user with its state directory, sandboxed: exposure 2.0 or less of 10', async () => {
    const unit = readFileSync(join(DEPLOY, 'systemd/seatlock-server.service'), 'utf8');
    for (const line of ['User=seatlock', 'StateDirectory=seatlock', 'StateDirectoryMode=0700', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes']) {
      expect(unit.split('\n'), line).toContain(line);
    }
    const { stdout } = await run('systemd-analyze', ['security', '--offline=yes', installedUnit()]).catch((failed: { stdout: string }) => failed);
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(stdout)?.[1]);
    expect(exposure, stdout.slice(-500)).toBeLessThanOrEqual(2.0);
    expect(readFileSync(join(DEPLOY, 'systemd/seatlock.sysusers.conf'), 'utf8')).toMatch(/^u seatlock - .* \/var\/lib\/seatlock /m);
  });
});

/**
 * hadolint is not packaged by Debian and base images cannot be pulled here, so the image is not
 * built in tests: this checks what the Dockerfile promises and that every file it copies exists.
 */
describe('deploy/Dockerfile', () => {
  const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.trim().split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const stages = instructions.reduce<{ keyword: string; args: string }[][]>((all, instruction) => {
    if (instruction.keyword === 'FROM') all.push([]);
    all[all.length - 1].push(instruction);
    return all;
  }, []);
  const final = stages[stages.length - 1];
  const last = (keyword: string) => final.filter((i) => i.keyword === keyword).pop()?.args ?? '';

  it('builds in stages and runs the server as a non-root user with the data directory a volume and a health check on /healthz', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(last('USER')).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(last('USER')).not.toBe('root');
    const dataDir = /SEATLOCK_DATA_DIR=(\S+)/.exec(final.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' '))?.[1];
    expect(dataDir).toBe('/var/lib/seatlock');
    expect(last('VOLUME')).toContain(dataDir);
    expect(last('HEALTHCHECK')).toMatch(/CMD .*\/healthz/);
    expect(last('CMD')).toBe('["node", "server/dist/bin/server.js"]');
    // The user is made before it is switched to; the data directory belongs to it.
    expect(final.find((i) => i.keyword === 'RUN' && i.args.includes('useradd'))?.args).toMatch(/install -d -m 0700 -o seatlock -g seatlock \/var\/lib\/seatlock/);
  });

  it('copies only files the repository has after `npm run build`, and keeps node_modules and dist out of the context', () => {
    for (const { keyword, args } of instructions.filter((i) => i.keyword === 'COPY')) {
      const parts = args.split(/\s+/);
      const fromStage = parts[0].startsWith('--from=');
      const sources = parts.slice(fromStage ? 1 : 0, -1).map((source) => (fromStage ? source.replace(/^\/src\//, '') : source));
      for (const source of sources) {
        if (source === 'node_modules') continue;
        expect(existsSync(join(REPO_ROOT, source)), `${keyword} ${args}: ${source}`).toBe(true);
      }
    }
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', 'data']));
  });
});

describe('deploy/agent: the boot check', () => {
  let server: StartedServer;
  let trustRoot: string;
  let work: string;
  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-boot-'));
    trustRoot = join(work, 'root.pem');
    writeFileSync(trustRoot, (await client(server.url).get('/v1/trust')).body.root);
  });
  afterAll(() => server?.stop());

  /** Runs seatlock-verify.sh with sh, as init would; the development agent reads the fixture tree. */
  function bootCheck(device: TestDevice, statusDir: string) {
    return spawnSync('sh', [join(DEPLOY, 'agent/seatlock-verify.sh')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        SEATLOCK_NODE: process.execPath,
        SEATLOCK_AGENT: DEV_AGENT,
        SEATLOCK_STATUS_DIR: statusDir,
        SEATLOCK_SYSROOT: device.sysroot,
        SEATLOCK_HOME: device.home,
        SEATLOCK_TRUST_ROOT: trustRoot,
      },
    });
  }

  it('leaves the verdict and the exit code where the SDK host reads them: 10 before activation, 0 after', async () => {
    const device = newDevice('android-rk3568');
    const statusDir = join(work, 'status');
    const before = bootCheck(device, statusDir);
    expect(before.status, before.stderr).toBe(VERIFY_CODES.NO_LICENSE);
    expect(readFileSync(join(statusDir, 'verify.code'), 'utf8')).toBe('10\n');
    expect(JSON.parse(readFileSync(join(statusDir, 'verify.json'), 'utf8'))).toMatchObject({ valid: false, code: 10 });

    const { activationCode } = await approvedPool(server.url, server.adminToken);
    expect((await runAgent(device, ['activate', '--server', server.url, '--code', activationCode], { trustRoot })).code).toBe(0);
    const after = bootCheck(device, statusDir);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stderr).toBe('seatlock: boot check exited 0\n');
    expect(readFileSync(join(statusDir, 'verify.code'), 'utf8')).toBe('0\n');
    expect(JSON.parse(readFileSync(join(statusDir, 'verify.json'), 'utf8'))).toMatchObject({ valid: true, code: 0, license: { product: 'face-detection' } });
  });

  it('tells the SDK host what to do for every exit code verify has', () => {
    const table = readFileSync(join(DEPLOY, 'agent/README.md'), 'utf8');
    for (const [status, code] of Object.entries(VERIFY_CODES)) expect(table, status).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
  });

  it('is what the Android service and the BusyBox entries run, with the resident mode beside it', () => {
    const rc = readFileSync(join(DEPLOY, 'agent/android/seatlock.rc'), 'utf8');
    expect(rc).toMatch(/^service seatlock_verify \/vendor\/bin\/sh \/vendor\/bin\/seatlock-verify\.sh$/m);
    expect(readFileSync(join(DEPLOY, 'agent/busybox/inittab'), 'utf8')).toMatch(/^::sysinit:.*\/opt\/seatlock\/seatlock-verify\.sh$/m);
    expect(readFileSync(join(DEPLOY, 'agent/busybox/rcS'), 'utf8')).toMatch(/\/opt\/seatlock\/seatlock-verify\.sh \|\| true$/m);
    // The resident service is started by the check's property and, not being oneshot, restarted by init.
    const clockService = rc.slice(rc.indexOf('service seatlock_clock ')).split('\n\n')[0];
    expect(clockService).toMatch(/^service seatlock_clock \/vendor\/bin\/node \/vendor\/seatlock\/seatlock-agent\.js verify --watch$/m);
    expect(clockService).toMatch(/^ {4}setenv SEATLOCK_HOME \/data\/vendor\/seatlock$/m);
    expect(clockService).not.toMatch(/oneshot/);
    expect(rc).toMatch(/^on property:vendor\.seatlock\.verify=\*\n {4}start seatlock_clock$/m);
    expect(readFileSync(join(DEPLOY, 'agent/busybox/rcS'), 'utf8')).toMatch(/^SEATLOCK_HOME=\/data\/seatlock node \/opt\/seatlock\/seatlock-agent\.js verify --watch .*&$/m);
  });

  it("inittab's respawn entry runs the resident mode, which counts a trial's running time and, stopped by init, the last of it", async () => {
    const entry = /^::respawn:(.*verify --watch)$/m.exec(readFileSync(join(DEPLOY, 'agent/busybox/inittab'), 'utf8'))?.[1];
    expect(entry).toBe('/usr/bin/env SEATLOCK_HOME=/data/seatlock node /opt/seatlock/seatlock-agent.js verify --watch');
    const device = newDevice('hi3516dv300-emmc');
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-liveness', modality: 'ir', trial: true });
    expect((await runAgent(device, ['activate', '--server', server.url, '--code', activationCode], { trustRoot })).code).toBe(0);
    setDeviceFile(device, 'proc/uptime', '3600.00 10.00\n');
    // The entry as written, on this checkout: the board's paths become the test device's.
    const [command, ...args] = entry!
      .replace('SEATLOCK_HOME=/data/seatlock', `SEATLOCK_HOME=${device.home}`)
      .replace('node /opt/seatlock/seatlock-agent.js', `${process.execPath} ${DEV_AGENT}`)
      .split(' ');
    const resident = spawn(command, args, { env: { PATH: process.env.PATH, SEATLOCK_SYSROOT: device.sysroot, SEATLOCK_TRUST_ROOT: trustRoot }, stdio: ['ignore', 'pipe', 'pipe'] });
    const ended = collectRun(resident);
    await new Promise((resolve) => resident.stdout.once('data', resolve));
    expect(readClockRecord(device).state.bootUptimeMs).toBe(3_600_000);
    setDeviceFile(device, 'proc/uptime', '3900.00 10.00\n');
    resident.kill('SIGTERM');
    const run = await ended;
    expect(run, run.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/^valid: face-liveness \(trial/) });
    expect(readClockRecord(device).state.bootUptimeMs).toBe(3_900_000);
  });
});
