import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import LongFilesFirst from './test/support/long-files-first.mts';

/**
 * Time budgets from measured work rather than guesses, sized for a two-core machine busy with
 * something else: a test may be slow there, it must not fail. One start of the compiled server on
 * a fresh data directory (loading, migrations, the first keys) took 4 s on an idle two-core
 * machine and 10 to 12 s with six test runs sharing it (load average 8, 2026-12-03); the budget
 * is that loaded figure with room to spare. Tests read it as SERVER_START_MS (test/support/timing.ts).
 */
const SERVER_START_MS = 20_000;
/** A test or hook may start one server and do as much work again besides. */
const ONE_SERVER_MS = 3 * SERVER_START_MS;
/** What a test polls for is a browser or HTTP round trip through the server: seconds when loaded. */
const POLL_MS = 15_000;

const postgresUrl = process.env.SEATLOCK_TEST_POSTGRES_URL;
if (!postgresUrl) {
  console.warn(
    '\n*** PostgreSQL tests SKIPPED: SEATLOCK_TEST_POSTGRES_URL is not set (CI sets it; e.g. postgres://postgres@127.0.0.1:5432/test). ' +
      'The server suite ran on SQLite only. ***\n',
  );
}

// Every project's temporary files under one folder in memory, removed at the end (test/support/temp-root-setup.ts).
const TEMP_ROOT = 'test/support/temp-root-setup.ts';

const sqlite = {
  extends: true,
  test: {
    name: 'sqlite',
    include: ['{shared,server,agent}/src/**/*.spec.ts', 'test/{server,agent,bench,deploy,console,fuzz,quickstart,native}/**/*.test.ts'],
    globalSetup: [TEMP_ROOT],
  },
} as const;

// The server's whole HTTP suite again on PostgreSQL, plus what only several instances can show.
const postgres = {
  extends: true,
  test: {
    name: 'postgres',
    include: ['test/server/**/*.test.ts', 'test/postgres/**/*.test.ts'],
    env: { SEATLOCK_TEST_DATABASE: 'postgres' },
    globalSetup: [TEMP_ROOT, 'test/support/postgres-setup.ts'],
  },
} as const;

export default defineConfig({
  // Nest needs decorator metadata, which vitest's default transform (esbuild) does not emit.
  plugins: [swc.vite({ jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' } })],
  resolve: { alias: { '@seatlock/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)) } },
  test: {
    // vitest's default is one worker fewer than the cores: on two cores, one file at a time. Files
    // wait on the processes they start, on polls and timers: with one worker per core the suite
    // kept two cores 150 % busy (2026-12-03), so one worker more fills the waits.
    maxWorkers: availableParallelism() + 1,
    // A worker runs file after file in one module graph: each file no longer loads vitest, Nest
    // and the shared code again (import time 160 s of the suite's 1,115 s of CPU before, 23 s
    // after). Files must leave no process-wide state behind (see server/src/spec-support/app.ts).
    isolate: false,
    sequence: { sequencer: LongFilesFirst },
    // A test that starts more servers says so, in multiples of SERVER_START_MS.
    testTimeout: ONE_SERVER_MS,
    hookTimeout: ONE_SERVER_MS,
    expect: { poll: { timeout: POLL_MS } },
    provide: { serverStartMs: SERVER_START_MS },
    projects: postgresUrl ? [sqlite, postgres] : [sqlite],
  },
});
