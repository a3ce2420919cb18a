import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server';

// Keeps `npm run bench` from rotting: a brief run of every step. It checks that the steps work
// and report, not how fast they are (CI machines are shared; speed is read from a full run).
describe('npm run bench --smoke', () => {
  it('runs every step and prints the figures table', { timeout: 300_000 }, () => {
    execFileSync('npm', ['run', '--silent', 'bench:build'], { cwd: REPO_ROOT, stdio: 'pipe' });
    // PostgreSQL's rows too when a server is given, as `DATABASE_URL=… npm run bench` prints them.
    const postgres = process.env.SEATLOCK_TEST_POSTGRES_URL ?? '';
    const run = spawnSync(process.execPath, [join(REPO_ROOT, '.bench/run.js'), '--smoke'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: postgres } });
    expect(run.status, run.stderr).toBe(0);
    for (const row of [
      'PS256 signatures/s',
      'SQLite durable one-row commits/s',
      'SQLite: new-device activations/s',
      'SQLite: new-device latency p50 / p99, open-loop',
      'SQLite: re-activations/s',
      'SQLite: GET /healthz/s',
      'SQLite: new-device activations ÷ GET /healthz',
      'SQLite: CPU per new device: server',
      'SQLite: CPU per re-activation: server',
      'SQLite: CPU per GET /healthz: server',
      'SQLite: activation writer over the new-device run',
      'SQLite: bytes on disk per device',
      'SQLite, 2,000 devices: new-device activations/s',
      'device list, first page',
      'by cursor',
      'search by hardware value',
      'pool view',
      ...['nothing else running', 'under that load'].flatMap((when) =>
        [
          'activations per day, 90 days, every customer',
          "activations per day, 90 days, the fullest pool's customer",
          'pools at 80 % of their seats or more',
          'trials ending within 7 days',
          'review queue counts',
        ].map((aggregate) => `${when}: overview, ${aggregate}`),
      ),
      'SQLite, 2,000 devices: every device as CSV',
      'SQLite: `audit verify`, ',
      'SQLite: `audit verify --resume`',
      '`seatlock-agent verify`',
      '`seatlock-verify verify` (native, C), armhf',
      'agent bundle size',
      'devices through `provision`',
      '× online new devices',
      '-license bundle',
      'license text, EdDSA (v2) against PS256 (v1)',
      ...(postgres
        ? [
            'PostgreSQL: new-device activations/s',
            'PostgreSQL: new-device activations ÷ GET /healthz',
            'PostgreSQL: new-device latency p50 / p99, open-loop',
            'PostgreSQL pace: one instance, new-device activations/s',
            'PostgreSQL pace: two instances on one database',
            'PostgreSQL pace: CPU per new device, two instances',
            'PostgreSQL, 2,000 devices, under that load: search by hardware value',
          ]
        : []),
    ]) {
      expect(run.stdout).toContain(row);
    }
  });
});
