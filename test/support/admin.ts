import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN_CLI, REPO_ROOT } from './server';

const run = promisify(execFile);

export interface AdminRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `seatlock-admin` as its own process with `env` over this process's environment. */
export async function runAdmin(args: string[], env: Record<string, string>): Promise<AdminRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ADMIN_CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
