import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { FIXTURES, testPki } from '../../agent/src/spec-support';
import { nativeBuild } from '../support/native';

/**
 * The release command: built with a root and a maker's config embedded (as the agent's release
 * bundle is), it reads the real / only and trusts nothing the environment names. Compared with
 * the agent's release bundle built from the same root and config, on this machine's own /.
 */
const native = process.env.SEATLOCK_NATIVE_TARGET || process.env.SEATLOCK_NATIVE_SANITIZE ? undefined : nativeBuild();
const REPO = resolve(__dirname, '../..');

describe.skipIf(!native)('native release build', () => {
  it('embeds the root and config, ignores SEATLOCK_SYSROOT, SEATLOCK_CONFIG and SEATLOCK_TRUST_ROOT, and answers as the release agent does', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-native-release-'));
    const pki = testPki();
    const config = join(dir, 'maker.json');
    writeFileSync(config, JSON.stringify({ components: [{ name: 'vendor.machine', file: '/etc/machine-id', weight: 4, strong: true }] }));
    execFileSync('make', ['-s', '-C', join(REPO, 'native'), `BUILD=${join(dir, 'build')}`, `ROOT=${pki.rootPath}`, `CONFIG=${config}`, join(dir, 'build', 'seatlock-verify')], { stdio: 'ignore' });
    const release = join(dir, 'build', 'seatlock-verify');
    const agent = join(dir, 'seatlock-agent.js');
    execFileSync(process.execPath, [join(REPO, 'agent/scripts/bundle.mjs'), '--root', pki.rootPath, '--config', config, '--out', agent], { stdio: 'ignore' });

    // The owner points both at a captured board, another config and a root of their own: both read this machine.
    const owner = testPki();
    const pointed = { PATH: process.env.PATH, SEATLOCK_SYSROOT: join(FIXTURES, 'android-rk3568'), SEATLOCK_TRUST_ROOT: owner.rootPath, SEATLOCK_CONFIG: '/dev/null' };
    const fingerprint = (command: string[], home: string) => JSON.parse(execFileSync(command[0], [...command.slice(1), 'fingerprint', '--json'], { env: { ...pointed, SEATLOCK_HOME: home }, encoding: 'utf8' }));
    const own = fingerprint([release], join(dir, 'home-a'));
    expect(own.platform).not.toBe('android');
    expect(own.fingerprint).toEqual(fingerprint([process.execPath, agent], join(dir, 'home-b')).fingerprint);

    // A license of the captured board, signed under the embedded root, and one under the owner's root.
    const board = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: join(FIXTURES, 'android-rk3568') }));
    for (const [label, license] of [
      ['embedded root', await pki.sign(board.fingerprint)],
      ["owner's root", await owner.sign(board.fingerprint)],
    ] as const) {
      const codes = [release, agent].map((tool, i) => {
        const home = join(dir, `${label}-${i}`);
        mkdirSync(join(home, 'licenses'), { recursive: true });
        writeFileSync(join(home, 'licenses', 'copied.lic'), license);
        const command = tool === agent ? [process.execPath, agent] : [release];
        return spawnSync(command[0], [...command.slice(1), 'verify'], { env: { ...pointed, SEATLOCK_HOME: home } }).status;
      });
      expect(codes[0], label).toBe(codes[1]);
      expect(codes[0], label).not.toBe(0);
    }
  });
});
