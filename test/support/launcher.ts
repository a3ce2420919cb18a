import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Runs short-lived commands (the agent CLI, the native check) from a small helper process, one per
 * test worker, instead of from the worker itself. On Linux a spawn first forks its parent, and
 * forking a worker that has loaded several test files costs kernel time in proportion to its
 * memory: 13 ms of system CPU and 29 ms of wall time a spawn at 750 MB, against 2 and 6 ms from a
 * 50 MB process (300 spawns of /bin/true each, 2026-12-05). The generated suites run thousands.
 */
export interface LaunchedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Answer extends Partial<LaunchedRun> {
  id: number;
  error?: string;
}

interface Launcher {
  child: ChildProcessByStdio<Writable, Readable, null>;
  waiting: Map<number, (answer: Answer) => void>;
  nextId: number;
}

let launcher: Launcher | undefined;

function started(): Launcher {
  if (launcher && launcher.child.exitCode === null && launcher.child.signalCode === null) return launcher;
  const child = spawn(process.execPath, [join(__dirname, 'launcher.cjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, (answer: Answer) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const answer = JSON.parse(line) as Answer;
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  child.once('exit', (code, signal) => {
    for (const [id, settle] of waiting) settle({ id, error: `the launcher exited (${signal ?? `code ${code}`})` });
    waiting.clear();
  });
  // The worker may end with the launcher idle: it goes when its stdin closes.
  child.unref();
  for (const stream of [child.stdin, child.stdout]) (stream as unknown as { unref(): void }).unref();
  const fresh: Launcher = { child, waiting, nextId: 1 };
  launcher = fresh;
  return fresh;
}

/** Runs `command` to its end with exactly `env` (and `cwd`), collecting its exit and output as text. */
export function launch(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<LaunchedRun> {
  const current = started();
  const id = current.nextId++;
  const { child, waiting } = current;
  return new Promise((resolve, reject) => {
    waiting.set(id, ({ error, code = null, signal = null, stdout = '', stderr = '' }) => (error ? reject(new Error(`${command}: ${error}`)) : resolve({ code, signal, stdout, stderr })));
    child.stdin.write(`${JSON.stringify({ id, command, args, env: options.env, cwd: options.cwd })}\n`);
  });
}
