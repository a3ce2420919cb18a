import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildFingerprint, writeActivationRequest } from '@seatlock/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from './command-line';
import { provision } from './provision';
import { tempDir } from './spec-support';

/**
 * A stub of POST /v1/activations/batch: answers the queued replies in turn, then `created` for
 * every file. A reply that `waitsForNext` sends its status and the body's first bytes, and its
 * body's rest (or, `cut`, drops the connection) only once the next batch arrives, or after 2 s.
 */
let replies: { status: number; body?: unknown; waitsForNext?: boolean; cut?: boolean }[] = [];
/** Whether a held answer's next batch arrived before its body was complete. */
let sentBeforeAnswered: boolean[] = [];
let nextArrived: (() => void) | undefined;
let bodies: string[] = [];
let server: Server;
let serverUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      nextArrived?.();
      const files = body.split('-----BEGIN SEATLOCK ACTIVATION REQUEST-----').length - 1;
      const reply = replies.shift() ?? {
        status: 200,
        body: { results: Array.from({ length: files }, (_, i) => (i === 1 ? { outcome: 'refused', error: { code: 'SEATS_EXHAUSTED', message: 'Every seat, "all" of them, is bound.' } } : { outcome: 'created', deviceId: `d${i}`, license: `license ${i}\n` })) },
      };
      const text = JSON.stringify(reply.body ?? {});
      if (!reply.waitsForNext) {
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(text);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' }).write(text.slice(0, 5));
      const rest = (arrived: boolean) => {
        nextArrived = undefined;
        clearTimeout(timer);
        sentBeforeAnswered.push(arrived);
        if (reply.cut) res.destroy();
        else res.end(text.slice(5));
      };
      const timer = setTimeout(() => rest(false), 2_000);
      nextArrived = () => rest(true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  replies = [];
  bodies = [];
  sentBeforeAnswered = [];
});

function requestDir(count: number): string {
  const dir = join(tempDir(), 'requests');
  mkdirSync(dir);
  for (let i = 0; i < count; i++) {
    const fingerprint = buildFingerprint([{ name: 'emmc.cid', value: `15010043${String(i).padStart(4, '0')}9f3e7a1c52d4b8e6f0a3` }]);
    writeFileSync(join(dir, `board-${i}.req`), writeActivationRequest({ activationCode: 'CODE', platform: 'android', fingerprint }));
  }
  return dir;
}

describe('provision', () => {
  it('draws a progress bar on a terminal, prints the summary by code, writes a CSV report, and exits 1 when a request was refused', async () => {
    const dir = requestDir(3);
    const out: string[] = [];
    const err: string[] = [];
    const report = join(tempDir(), 'line.csv');
    const code = await run(['provision', '--server', serverUrl, '--in', dir, '--out', join(tempDir(), 'line.bundle'), '--report', report], {}, { out: (s) => out.push(s), err: (s) => err.push(s), terminal: true });
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/^\r\[#{30}\] 3\/3  created 2  existing 0  refused 1  \d+\/s\u001b\[K\n$/);
    expect(out.join('')).toContain('provisioned 3 request(s): created 2, existing 0, refused 1 (SEATS_EXHAUSTED 1)');
    expect(readFileSync(report, 'utf8').split('\n')).toEqual([
      'file,outcome,deviceId,code,message',
      'board-0.req,created,d0,,',
      'board-1.req,refused,,SEATS_EXHAUSTED,"Every seat, ""all"" of them, is bound."',
      'board-2.req,created,d2,,',
      '',
    ]);
  });

  it('sends a batch again, unchanged, when its answer is lost or the server fails', async () => {
    replies = [{ status: 503 }];
    const retries: string[] = [];
    const result = await provision({ server: serverUrl, inDir: requestDir(2), out: join(tempDir(), 'line.bundle'), onRetry: (why) => retries.push(why) });
    expect(retries).toEqual(['HTTP 503']);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(result).toMatchObject({ created: 1, refused: 1, licenses: 1 });
  });

  it('refuses a file that holds no request, or two, without sending it, so answers stay aligned with files', async () => {
    const dir = requestDir(2);
    writeFileSync(join(dir, 'notes.txt'), 'serial numbers of line 3');
    writeFileSync(join(dir, 'twice.req'), readFileSync(join(dir, 'board-0.req'), 'utf8').repeat(2));
    const result = await provision({ server: serverUrl, inDir: dir, out: join(tempDir(), 'line.bundle') });
    expect(result.devices.map((d) => [d.file, d.outcome, d.code])).toEqual([
      ['board-0.req', 'created', undefined],
      ['board-1.req', 'refused', 'SEATS_EXHAUSTED'],
      ['notes.txt', 'refused', 'INVALID_REQUEST'],
      ['twice.req', 'refused', 'INVALID_REQUEST'],
    ]);
    expect(bodies[0].split('BEGIN SEATLOCK ACTIVATION REQUEST').length - 1).toBe(2);
  });

  const created = (from: number, count: number) => ({
    status: 200,
    body: { results: Array.from({ length: count }, (_, i) => ({ outcome: 'created', deviceId: `d${from + i}`, license: `license ${from + i}\n` })) },
  });

  it('sends the next chunk once the previous answer has begun, before its body, and records them in file order', async () => {
    replies = [{ ...created(0, 2), waitsForNext: true }, { ...created(2, 2), waitsForNext: true }, created(4, 1)];
    const result = await provision({ server: serverUrl, inDir: requestDir(5), out: join(tempDir(), 'line.bundle'), chunkSize: 2 });
    expect(sentBeforeAnswered).toEqual([true, true]);
    expect(bodies).toHaveLength(3);
    expect(result.devices.map((d) => [d.file, d.deviceId])).toEqual([0, 1, 2, 3, 4].map((i) => [`board-${i}.req`, `d${i}`]));
    expect(result.licenses).toBe(5);
  });

  it('sends a chunk again, unchanged, when its answer is cut after it began, and keeps file order', async () => {
    replies = [{ ...created(0, 2), waitsForNext: true, cut: true }, created(2, 1), created(0, 2)];
    const retries: string[] = [];
    const result = await provision({ server: serverUrl, inDir: requestDir(3), out: join(tempDir(), 'line.bundle'), chunkSize: 2, onRetry: (why) => retries.push(why) });
    expect(sentBeforeAnswered).toEqual([true]);
    expect(retries).toHaveLength(1);
    expect(bodies).toHaveLength(3);
    expect(bodies[2]).toBe(bodies[0]);
    expect(result.devices.map((d) => [d.file, d.deviceId])).toEqual([0, 1, 2].map((i) => [`board-${i}.req`, `d${i}`]));
  });
});
