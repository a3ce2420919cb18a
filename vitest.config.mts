import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  // Nest needs decorator metadata, which vitest's default transform (esbuild) does not emit.
  plugins: [swc.vite({ jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' } })],
  resolve: { alias: { '@seatlock/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)) } },
  test: {
    include: ['{shared,server,agent}/src/**/*.spec.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
