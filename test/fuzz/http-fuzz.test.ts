import { describe, expect, it } from 'vitest';
import { fuzz, memoryReturned } from './http-fuzzer';

/** The bounded run of `npm run fuzz`, with a fixed seed: long runs take `--count N --seed S`. */
const COUNT = 10_000;
const SEED = 20261128;

describe('the HTTP fuzzer over every documented operation', () => {
  it(`answers ${COUNT.toLocaleString('en')} generated requests without a 5xx, a hang or a 4xx without a contract code`, { timeout: 240_000 }, async () => {
    const report = await fuzz({ count: COUNT, seed: SEED });
    expect(report.failures.slice(0, 20)).toEqual([]);
    expect(report.sent).toBe(COUNT);
    expect(report.operations).toBeGreaterThan(40);
    expect(memoryReturned(report), `RSS ${report.rssBaselineMiB.toFixed(0)} MiB before, ${report.rssAfterMiB.toFixed(0)} MiB after`).toBe(true);
    expect(report.auditOk).toBe(true);
  });
});
