import { describe, expect, it } from 'vitest';
import { MAXIMUM_QUANTITY, MAXIMUM_UNIT_PRICE_FEN } from './catalog';
import { isSeatlockError } from './errors';
import { quote } from './pricing';

const LIST = {
  'face-detection': [68, 58, 48],
  'face-liveness': [88, 78, 68],
  'face-recognition': [118, 95, 88],
} as const;

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isSeatlockError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('quote', () => {
  it('prices 1,000 recognition devices at 118,000 CNY (the worked example)', () => {
    expect(quote('face-recognition', 1000)).toMatchObject({ tier: 1, unitPrice: 118, total: 118_000, currency: 'CNY' });
  });

  for (const [product, [first, second, third]] of Object.entries(LIST)) {
    describe(product, () => {
      it.each([
        [50, 1, first],
        [1000, 1, first],
        [1001, 2, second],
        [5000, 2, second],
        [5001, 3, third],
        [10000, 3, third],
      ])('prices %i devices in tier %i at %i each, whole quantity', (quantity, tier, unitPrice) => {
        const q = quote(product, quantity);
        expect(q).toMatchObject({ product, quantity, tier, unitPrice, total: quantity * unitPrice, negotiated: false });
        expect(Number.isInteger(q.total)).toBe(true);
      });

      it('refuses 49 devices as below the minimum', () => {
        expect(errorCode(() => quote(product, 49))).toBe('BELOW_MINIMUM');
      });

      it('refuses 10,001 devices without a negotiated price', () => {
        expect(errorCode(() => quote(product, 10_001))).toBe('NEGOTIATED_PRICE_REQUIRED');
      });

      it('prices 10,001 devices at the negotiated unit price', () => {
        expect(quote(product, 10_001, 4000)).toMatchObject({ tier: 4, unitPriceFen: 4000, totalFen: 40_004_000, unitPrice: 40, total: 400_040, negotiated: true });
      });
    });
  }

  it('takes a negotiated price in fen and keeps every amount an exact integer of fen', () => {
    expect(quote('face-recognition', 20_000, 3950)).toMatchObject({ unitPriceFen: 3950, totalFen: 79_000_000, unitPrice: 39.5, total: 790_000 });
    expect(quote('face-recognition', 10_001, 1)).toMatchObject({ unitPriceFen: 1, totalFen: 10_001, unitPrice: 0.01, total: 100.01 });
  });

  it('never lets a negotiated price undercut the list below 10,001 devices', () => {
    expect(errorCode(() => quote('face-detection', 500, 1))).toBe('INVALID_REQUEST');
  });

  it.each([0, -5, 50.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the quantity %s', (quantity) => {
    expect(errorCode(() => quote('face-detection', quantity))).toBe('INVALID_REQUEST');
  });

  it.each([0, 12.5, -1])('refuses the negotiated unit price %s', (price) => {
    expect(errorCode(() => quote('face-detection', 20_000, price))).toBe('INVALID_REQUEST');
  });

  it('refuses an unknown product', () => {
    expect(errorCode(() => quote('face-swap', 100))).toBe('UNKNOWN_PRODUCT');
  });

  it('refuses more devices than one order may buy, up to the largest exact number', () => {
    expect(quote('face-detection', MAXIMUM_QUANTITY, 1).quantity).toBe(1_000_000);
    for (const quantity of [MAXIMUM_QUANTITY + 1, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      expect(errorCode(() => quote('face-detection', quantity, 1))).toBe('INVALID_REQUEST');
    }
  });

  it('refuses a negotiated unit price above the maximum', () => {
    expect(quote('face-detection', 20_000, MAXIMUM_UNIT_PRICE_FEN).total).toBe(200_000_000);
    expect(errorCode(() => quote('face-detection', 20_000, MAXIMUM_UNIT_PRICE_FEN + 1))).toBe('INVALID_REQUEST');
    expect(errorCode(() => quote('face-detection', 20_000, 2 ** 31))).toBe('INVALID_REQUEST');
  });
});
