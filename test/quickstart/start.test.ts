import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin';
import { REPO_ROOT, SERVER_MAIN } from '../support/server';

const LISTENING = /^Seatlock server listening on http:\/\/\S+$/m;

interface Started {
  child: ChildProcess;
  stdout: string;
  stderr: string;
}

const newDataDir = () => mkdtempSync(join(tmpdir(), 'seatlock-start-'));
const started: ChildProcess[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((done) => child.once('exit', done));
    process.kill(-(child.pid as number), 'SIGTERM');
    await exited;
  }
});

/**
 * Runs `npm start`'s server on a fresh data directory and a free port, at a terminal (under
 * `script`, which gives it a pseudo-terminal for stdout and stderr alike) or with pipes, until
 * `until` appears in what it printed.
 */
async function startServer(options: { terminal: boolean; env?: Record<string, string>; until: RegExp }): Promise<Started> {
  const env = { ...process.env, PORT: '0', SEATLOCK_DATA_DIR: newDataDir(), NODE_ENV: 'development', LOG_FORMAT: '', ...options.env };
  const child = options.terminal
    ? spawn('script', ['-qfec', `exec ${process.execPath} ${SERVER_MAIN}`, '/dev/null'], { cwd: REPO_ROOT, env, detached: true })
    : spawn(process.execPath, [SERVER_MAIN], { cwd: REPO_ROOT, env, detached: true });
  started.push(child);
  const run: Started = { child, stdout: '', stderr: '' };
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (options.until.test(run.stdout + run.stderr)) resolve();
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString('utf8').replace(/\r\n/g, '\n');
      check();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      run.stderr += chunk.toString('utf8');
      check();
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before printing ${options.until}:\n${run.stdout}${run.stderr}`)));
  });
  return run;
}

describe('npm start', { timeout: 60_000 }, () => {
  it('at a terminal prints plain lines: where it listens, the console and docs, and how to make a first admin', async () => {
    const { stdout } = await startServer({ terminal: true, until: /Ctrl-C stops the server/ });
    expect(stdout).toMatch(LISTENING);
    expect(stdout).toMatch(/^ {2}Console: {3}(http:\/\/localhost:\d+\/|not built)/m);
    expect(stdout).toMatch(/^ {2}API docs: {2}http:\/\/localhost:\d+\/docs$/m);
    expect(stdout).toContain('npx seatlock-admin users invite --email you@example.com --role admin');
    expect(stdout).toContain('npx seatlock-admin tokens create --role admin');
    // No JSON and no start-up chatter (Nest maps each route on a line of its own).
    const lines = stdout.split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(stdout).not.toMatch(/Mapped \{|RoutesResolver|InstanceLoader/);
    expect(lines.length).toBeLessThan(25);
  });

  it('at a terminal on a database that has a person already says nothing of a first admin', async () => {
    const dataDir = newDataDir();
    const invited = await runAdmin(['users', 'invite', '--email', 'first@start.example', '--role', 'admin'], { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(invited.code, invited.stderr).toBe(0);
    const { stdout } = await startServer({ terminal: true, env: { SEATLOCK_DATA_DIR: dataDir }, until: /Ctrl-C stops the server/ });
    expect(stdout).toMatch(/^ {2}API docs: /m);
    expect(stdout).not.toContain('No admin yet');
  });

  it('at a terminal with LOG_FORMAT=json keeps every log a JSON line', async () => {
    const { stdout } = await startServer({ terminal: true, env: { LOG_FORMAT: 'json' }, until: LISTENING });
    const lines = stdout.split('\n').filter((line) => line.trim() !== '' && !LISTENING.test(line));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(stdout).not.toContain('Ctrl-C stops the server');
  });

  it('with its output not a terminal writes only the listening line on stdout and JSON lines on stderr, the first-admin hint among them', async () => {
    const run = await startServer({ terminal: false, until: LISTENING });
    // The hint is logged before the listening line is printed.
    expect(run.stdout.trim()).toMatch(/^Seatlock server listening on http:\/\/\S+$/);
    const entries = run.stderr
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { level: number; msg: string; context?: string });
    expect(entries.find((entry) => entry.context === 'Auth')?.msg).toMatch(/npx seatlock-admin tokens create --role admin/);
    expect(entries.some((entry) => entry.context === 'RouterExplorer')).toBe(true);
  });
});
