import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { collectRun, type AgentRun } from './agent';
import { REPO_ROOT } from './server';

const FIXTURES = join(REPO_ROOT, 'test/fixtures/devices');
/** Where a device keeps the agent, inside its root. */
export const AGENT_IN_DEVICE = '/opt/seatlock/seatlock-agent.js';
const FAKE_CLOCK_IN_DEVICE = '/opt/seatlock/fake-clock.cjs';
/** The agent's default home, which a device in a userland uses. */
export const HOME_IN_DEVICE = '/var/lib/seatlock';

/** A Debian userland of another architecture (`<suite>-<arch>`, e.g. `bookworm-armhf`), run under QEMU user-mode emulation. */
export interface Userland {
  root: string;
  name: string;
  /** The CPU QEMU emulates: the slowest core the device makers ship on that architecture. */
  qemuCpu: string;
}

const QEMU_CPU: Record<string, string> = { armhf: 'cortex-a7', arm64: 'cortex-a53' };

/** The userlands named in SEATLOCK_TEST_USERLANDS (paths separated by `:`), as `.ci/arm-userlands` builds them. */
export function userlandsFromEnv(value = process.env.SEATLOCK_TEST_USERLANDS): Userland[] | undefined {
  if (!value) return undefined;
  return value.split(':').filter(Boolean).map((root) => {
    const name = basename(root);
    const qemuCpu = QEMU_CPU[name.slice(name.lastIndexOf('-') + 1)];
    if (!qemuCpu) throw new Error(`${root}: expected a userland named <suite>-<${Object.keys(QEMU_CPU).join('|')}>`);
    return { root, name, qemuCpu };
  });
}

/** A board: a copy of a userland with a fixture device tree written where the collectors read it, and the agent installed. */
export interface UserlandDevice {
  userland: Userland;
  root: string;
}

/**
 * Makes a board from a userland: a hard-linked copy of it (quick, and the cached userland stays
 * as it is, since every file written here is unlinked first) with the fixture's files in its
 * `/proc`, `/sys`, `/etc`, ... and the agent at AGENT_IN_DEVICE. Inside the chroot the real `/`
 * is this root, which is all a release bundle reads.
 */
export function newUserlandDevice(userland: Userland, fixture: string, agent: string): UserlandDevice {
  const root = mkdtempSync(`${userland.root}-device-`);
  rmSync(root, { recursive: true });
  linkTree(userland.root, root);
  for (const dir of ['proc', 'sys']) {
    // A mounted /proc or /sys here would be the host's: the board's files must go into plain folders.
    if (statSync(join(root, dir)).dev !== statSync(root).dev) throw new Error(`${join(root, dir)} is a mount point`);
  }
  writeTree(join(FIXTURES, fixture), root);
  placeFile(agent, root, AGENT_IN_DEVICE);
  placeFile(join(REPO_ROOT, 'test/support/fake-clock.cjs'), root, FAKE_CLOCK_IN_DEVICE);
  return { userland, root };
}

/** Copies a file from the host into the device, at `path` inside its root. */
export function placeFile(source: string, root: string, path: string): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { force: true });
  copyFileSync(source, target);
}

/** Removes a board made by newUserlandDevice. */
export function removeUserlandDevice(device: UserlandDevice): void {
  rmSync(device.root, { recursive: true, force: true });
}

/**
 * Runs a program inside the board (`chroot`), with a clean environment: only what is given here,
 * so nothing of the host's (NODE_EXTRA_CA_CERTS, for one, which breaks a Node start in a
 * userland without those certificates) leaks in.
 */
export function runInUserland(device: UserlandDevice, command: string[], env: Record<string, string> = {}): Promise<AgentRun> {
  const cleanEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', QEMU_CPU: device.userland.qemuCpu, ...env };
  const child = spawn('chroot', [device.root, ...command], { env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  return collectRun(child);
}

/** Runs the agent on the board, its wall clock at `now` (ISO date) when given. */
export function runAgentInUserland(device: UserlandDevice, args: string[], now?: string): Promise<AgentRun> {
  const clock = now ? ['--require', FAKE_CLOCK_IN_DEVICE] : [];
  return runInUserland(device, ['/usr/bin/node', ...clock, AGENT_IN_DEVICE, ...args], now ? { FAKE_CLOCK_NOW: now } : {});
}

// `cp -al`: directories are new, files are hard links to the userland's.
function linkTree(from: string, to: string): void {
  execFileSync('cp', ['-al', from, to], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function writeTree(from: string, root: string, path = ''): void {
  for (const entry of readdirSync(join(from, path), { withFileTypes: true })) {
    const inner = join(path, entry.name);
    if (entry.isDirectory()) writeTree(from, root, inner);
    else placeFile(join(from, inner), root, inner);
  }
}
