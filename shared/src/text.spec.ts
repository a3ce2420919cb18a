import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SeatlockError } from './errors';
import { humanText } from './text';

const RUNS = { seed: 20261128, numRuns: 500 };
const FORBIDDEN = ['\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u061c', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\ud800', '\udfff'];
const allowed = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((text) => !FORBIDDEN.some((c) => text.includes(c)) && !/[\u0000-\u001f\u007f-\u009f]/.test(text) && text.trim().length > 0);

function refused(value: string): boolean {
  try {
    humanText(value, 'name', 200);
    return false;
  } catch (error) {
    return error instanceof SeatlockError && error.code === 'INVALID_REQUEST';
  }
}

describe('humanText, the rule for names and reasons', () => {
  test.prop([allowed], RUNS)('stores text as NFC and trimmed, and storing it again changes nothing', (text) => {
    const stored = humanText(text, 'name', 200);
    expect(stored).toBe(text.normalize('NFC').trim());
    expect(humanText(stored, 'name', 200)).toBe(stored);
  });

  test.prop([allowed, fc.constantFrom(...FORBIDDEN), fc.nat()], RUNS)('refuses a control, bidirectional or unpaired surrogate character anywhere', (text, bad, at) => {
    const i = at % (text.length + 1);
    expect(refused(text.slice(0, i) + bad + text.slice(i))).toBe(true);
  });

  it('refuses what is empty once trimmed, and what is too long', () => {
    expect(refused('   ')).toBe(true);
    expect(refused('x'.repeat(201))).toBe(true);
    expect(humanText('x'.repeat(200), 'name', 200)).toHaveLength(200);
  });

  it('keeps a name that reads as it is stored', () => {
    expect(humanText('  Cafe\u0301 Devices 有限公司 ', 'name', 200)).toBe('Café Devices 有限公司');
    expect(refused('Invoice\u202Efdp.exe')).toBe(true);
  });
});
