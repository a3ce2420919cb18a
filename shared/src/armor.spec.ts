import { describe, expect, it } from 'vitest';
import { armor, dearmor } from './armor';

describe('armor', () => {
  it('wraps at 64 columns and round-trips through mail-style surroundings', () => {
    const body = 'x'.repeat(150);
    const text = armor('SEATLOCK LICENSE', body);
    expect(text.split('\n').every((line) => line.length <= 64 || line.startsWith('-----'))).toBe(true);
    expect(dearmor('SEATLOCK LICENSE', `Hello,\r\n\r\n${text.replace(/\n/g, '\r\n')}\r\n-- \r\nsales`)).toBe(body);
  });

  it('finds nothing under another label', () => {
    expect(dearmor('SEATLOCK ACTIVATION REQUEST', armor('SEATLOCK LICENSE', 'abc'))).toBeNull();
  });
});
