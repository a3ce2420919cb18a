import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-body';

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(value as object).map(depthOf));
}

describe('nestsDeeperThan', () => {
  test.prop([fc.json({ depthSize: 'large' }), fc.integer({ min: 0, max: 12 })], { seed: 20261128, numRuns: 500 })('agrees with the parsed value’s depth', (text, max) => {
    expect(nestsDeeperThan(text, max)).toBe(depthOf(JSON.parse(text)) > max);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ a: '[[[[{{{{\\"[[[[' }), 1)).toBe(false);
    expect(nestsDeeperThan('{"a":['.repeat(5000) + '1' + ']}'.repeat(5000), 32)).toBe(true);
  });
});
