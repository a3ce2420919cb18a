import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { ONE_SERVER_MS, POLL_MS } from './test/support/timing';

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
    include: ['{shared,server,agent}/src/**/*.spec.ts', 'test/{server,agent,bench,deploy,console,fuzz,quickstart}/**/*.test.ts'],
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
    // Sized for a loaded machine (test/support/timing.ts); a test that starts more servers says so.
    testTimeout: ONE_SERVER_MS,
    hookTimeout: ONE_SERVER_MS,
    expect: { poll: { timeout: POLL_MS } },
    projects: postgresUrl ? [sqlite, postgres] : [sqlite],
  },
});
