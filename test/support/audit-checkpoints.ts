import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runAdmin } from './admin';
import type { RawSql } from './audit-tamper';
import { rawQuery } from './database';
import { client } from './http';
import { approvedPool, deviceFingerprint } from './seatlock';
import { type StartedServer, startServer } from './server';

/** Events between two checkpoints on the servers started here. */
export const EVERY = 4;

// The periodic checkpoint is pushed out of the way: each test decides when the head is signed.
const start = (env: Record<string, string> = {}) => startServer({ env: { SEATLOCK_AUDIT_CHECKPOINT_EVENTS: String(EVERY), SEATLOCK_AUDIT_CHECKPOINT_SECONDS: '3600', ...env } });

export const sqlOn =
  (server: StartedServer): RawSql =>
  (text, params = []) =>
    rawQuery(server.dataDir, text, params);

export const verifyOf = async (server: StartedServer, anchor?: string) =>
  (anchor === undefined ? await client(server.url, server.adminToken).get('/v1/audit/verify') : await client(server.url, server.adminToken).post('/v1/audit/verify', { anchor })).body;

/** The head's anchor as `seatlock-admin audit anchor` prints it, also written to a file. */
export const anchorOf = async (server: StartedServer) => {
  const printed = await runAdmin(['audit', 'anchor'], server.storageEnv);
  expect(printed.code, printed.stderr).toBe(0);
  const file = join(mkdtempSync(join(tmpdir(), 'seatlock-anchor-')), 'anchor.json');
  writeFileSync(file, printed.stdout);
  return { ...(JSON.parse(printed.stdout) as { seq: number; hash: string; anchor: string }), file };
};

/**
 * Checkpoints are signed after the appending transaction commits: waits until the one due is
 * stored, so none lands after the attacker's edits.
 */
export const settled = async (server: StartedServer) => {
  let verdict = await verifyOf(server);
  for (let i = 0; i < 300 && verdict.events - verdict.signedThrough >= EVERY; i++) {
    await new Promise((r) => setTimeout(r, 100));
    verdict = await verifyOf(server);
  }
  return verdict;
};

/** A customer, an order, its approval and `devices` activations. */
export const someHistory = async (server: StartedServer, devices = 6) => {
  const { activationCode } = await approvedPool(server.url, server.adminToken);
  for (let i = 0; i < devices; i++) {
    const answer = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(`${server.dataDir}-${i}`) });
    expect(answer.status).toBe(201);
  }
  return settled(server);
};

/** Runs `work` on a server of its own (each test tampers with its chain), stopped afterwards. */
export const withServer = async (work: (server: StartedServer) => Promise<void>, env?: Record<string, string>) => {
  const server = await start(env);
  try {
    await work(server);
  } finally {
    await server.stop();
  }
};
