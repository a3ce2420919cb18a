import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server';

/** The shell blocks of the README between its walk-through markers, as a reader pastes them. */
function walkthrough(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = /<!-- walkthrough:start -->([\s\S]*?)<!-- walkthrough:end -->/.exec(readme);
  if (!section) throw new Error('README.md has no <!-- walkthrough:start --> … <!-- walkthrough:end --> section');
  return [...section[1].matchAll(/```sh\n([\s\S]*?)```/g)].map((block) => block[1]).join('\n');
}

/** Every shell variable the script sets and then reads (`NAME=` at the start of a command, then `$NAME`); not a command's environment. */
function assignedVariables(script: string): string[] {
  const assigned = new Set([...script.matchAll(/(?:^|[;&|]\s*)([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
  return [...assigned].filter((name) => new RegExp(`\\$\\{?${name}\\b`).test(script));
}

describe("the README's walk-through", { timeout: 180_000 }, () => {
  it('runs as written with bash in a fresh shell, every variable it sets non-empty and no command failing', async () => {
    const script = walkthrough();
    const variables = assignedVariables(script);
    expect(variables).toEqual(expect.arrayContaining(['S', 'C', 'V', 'O', 'CODE']));
    // set -u and -e: an unset variable or a failed command stops it; then each variable is printed to be checked.
    const checks = variables.map((name) => `printf '%s=%s\\n' ${name} "\${${name}-}"`).join('\n');
    const work = mkdtempSync(join(tmpdir(), 'seatlock-walkthrough-'));
    const bash = spawn('bash', ['-c', `set -eu -o pipefail\n${script}\necho '--- variables'\n${checks}`], {
      cwd: REPO_ROOT,
      // mktemp makes the data directory and the board under a folder of this run's own.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: work },
      detached: true,
    });
    let output = '';
    bash.stdout.on('data', (chunk: Buffer) => (output += chunk));
    bash.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => bash.once('exit', resolve));
    try {
      expect(code, output).toBe(0);
      const printed = new Map(
        output
          .split('--- variables\n')[1]
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
      );
      for (const name of variables) {
        expect(printed.get(name), `${name} in:\n${output}`).toMatch(/\S/);
        expect(printed.get(name), `${name} in:\n${output}`).not.toBe('null');
      }
    } finally {
      // The walk-through stops its server itself; should it fail before that, the server goes with the shell's group.
      try {
        process.kill(-(bash.pid as number), 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
  });
});
