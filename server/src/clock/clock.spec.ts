import { describe, expect, it } from 'vitest';
import { addBusinessDays } from './clock';

describe('addBusinessDays', () => {
  it('skips the weekend', () => {
    // Friday 10:00 → Tuesday 10:00
    expect(addBusinessDays(new Date('2026-11-27T10:00:00Z'), 2).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
  it('counts plain weekdays', () => {
    expect(addBusinessDays(new Date('2026-11-23T08:00:00Z'), 2).toISOString()).toBe('2026-11-25T08:00:00.000Z');
  });
  it('starts counting on Monday for a Saturday submission', () => {
    expect(addBusinessDays(new Date('2026-11-28T12:00:00Z'), 2).toISOString()).toBe('2026-12-01T12:00:00.000Z');
  });
});
