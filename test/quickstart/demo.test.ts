import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { REPO_ROOT } from '../support/server';

describe('npm run demo', { timeout: 180_000 }, () => {
  it('tells the whole story with the commands to type, then keeps its server running with the console and a sign-in link until Ctrl-C', async () => {
    // `npm run demo` is `npm run build && node scripts/demo.mjs`; the suite runs after the build.
    const demo = spawn(process.execPath, [join(REPO_ROOT, 'scripts/demo.mjs')], { cwd: REPO_ROOT, env: { ...process.env, SEATLOCK_DATA_DIR: '', PORT: '' } });
    let output = '';
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk));
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => demo.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      demo.stdout.on('data', () => output.includes('Ctrl-C stops it') && resolve());
      void exited.then((code) => reject(new Error(`the demo exited (${code}) before the end:\n${output}`)));
    });

    // Each step with the command a person types.
    for (const command of [
      /\$ curl .*\/v1\/customers/,
      /\$ curl .*\/v1\/trials$/m,
      /\$ curl -s -X POST -b \$W\/approver.cookies -H "origin: \$S" \$S\/v1\/trials\/\S+\/approve/,
      /\$ curl .*\/v1\/orders$/m,
      /\$ curl -s -X POST -H "authorization: Bearer \$T" \$S\/v1\/orders\/\S+\/approve/,
      /\$ curl -s -X POST -b \$W\/approver.cookies -H "origin: \$S" \$S\/v1\/orders\/\S+\/approve/,
      /\$ SEATLOCK_DATA_DIR=\$W\/data npx seatlock-admin trust export --out \$W\/root.pem/,
      /\$ SEATLOCK_SYSROOT=\$W\/board-a .* activate --server \$S --code \$CODE/,
      /\$ SEATLOCK_SYSROOT=\$W\/board-b .* request --code \$CODE --out \$W\/board-b.req/,
      /\$ curl .*\/v1\/activations\/offline > \$W\/board-b.lic/,
      /\$ SEATLOCK_SYSROOT=\$W\/board-c .* install \$W\/board-b.lic/,
    ]) {
      expect(output).toMatch(command);
    }
    // Four-eyes: the submitter's own approval refused, the other admin's taken.
    expect(output).toMatch(/refused: 403 FORBIDDEN: Four-eyes review/);
    expect(output).toMatch(/approved: pool \S+, CODE=slac_/);
    // Both boards verified; the copy refused as another device's license.
    expect(output.match(/^ {5}valid: face-recognition \(perpetual\)/gm)).toHaveLength(2);
    expect(output).toMatch(/License refused: The license belongs to another device\.\n {5}exit 12/);

    const url = /^ {2}Console: {5}(http:\/\/\S+)\/$/m.exec(output)?.[1] as string;
    const link = /^ {2}Sign in: {5}(\S+)$/m.exec(output)?.[1] as string;
    expect(link.startsWith(`${url}/accept-invite?invite=`)).toBe(true);
    // The server is still up: the link's invite sets the password of the demo's admin.
    const accepted = await client(url).post('/v1/users/accept', { invite: new URL(link).searchParams.get('invite'), password: 'a long enough demo password' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ email: 'admin@demo.example', name: 'Demo Admin', role: 'admin' });

    demo.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
