import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { csvField, csvStream } from './csv';

describe('CSV export', () => {
  it('quotes what needs it and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const start of ['+', '-', '@']) expect(csvField(`${start}1`)).toBe(`'${start}1`);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });

  it('follows the cursor page by page, asking for one page at a time', async () => {
    const asked: (string | undefined)[] = [];
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = { start: { items: [1, 2], nextCursor: 'b' }, b: { items: [3], nextCursor: null } };
    const stream = await csvStream(['n', 'double'], async (cursor) => {
      asked.push(cursor);
      return { ...pages[cursor ?? 'start'], total: null };
    }, (n) => [n, n * 2]);
    expect(await text(stream)).toBe('n,double\r\n1,2\r\n2,4\r\n3,6\r\n');
    expect(asked).toEqual([undefined, 'b']);
  });

  it('reads the first page before streaming, so its refusal is an error and not a broken download', async () => {
    await expect(csvStream(['n'], () => Promise.reject(new Error('NOT_FOUND')), (n: number) => [n])).rejects.toThrow('NOT_FOUND');
  });
});
