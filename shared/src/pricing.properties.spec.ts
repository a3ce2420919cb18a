import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { LIST_PRICE_LIMIT, MAXIMUM_QUANTITY, MAXIMUM_UNIT_PRICE_FEN, MINIMUM_QUANTITY } from './catalog';
import { isSeatlockError } from './errors';
import { quote } from './pricing';

const RUNS = { seed: 20261128, numRuns: 100 };
const LIST = { 'face-detection': [68, 58, 48], 'face-liveness': [88, 78, 68], 'face-recognition': [118, 95, 88] } as const;
const product = fc.constantFrom(...(Object.keys(LIST) as (keyof typeof LIST)[]));
/** Tier bounds from the published list, as Seatlock reads it: 5,000 is the second tier, 5,001 the third. */
const TIERS = [
  [50, 1_000],
  [1_001, 5_000],
  [5_001, 10_000],
] as const;
/** Quantities near each boundary, which fast-check's uniform integers would seldom reach. */
const quantity = fc.oneof(
  fc.integer({ min: MINIMUM_QUANTITY, max: LIST_PRICE_LIMIT }),
  fc.constantFrom(49, 50, 51, 999, 1_000, 1_001, 1_002, 4_999, 5_000, 5_001, 5_002, 9_999, 10_000, 10_001, 10_002).filter((q) => q >= 50 && q <= 10_000),
);

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (error) {
    if (isSeatlockError(error)) return error.code;
    throw error;
  }
}

describe('pricing properties', () => {
  test.prop([product, quantity], RUNS)('the whole quantity is priced at the unit price of the tier it reaches', (id, q) => {
    const tier = TIERS.findIndex(([min, max]) => q >= min && q <= max);
    expect(quote(id, q)).toMatchObject({ tier: tier + 1, unitPrice: LIST[id][tier], total: q * LIST[id][tier], negotiated: false });
  });

  test.prop([product, quantity, quantity], RUNS)('the total never decreases as quantity rises within a tier', (id, a, b) => {
    const [low, high] = a <= b ? [quote(id, a), quote(id, b)] : [quote(id, b), quote(id, a)];
    fc.pre(low.tier === high.tier);
    expect(high.total).toBeGreaterThanOrEqual(low.total);
  });

  test.prop([product, fc.integer({ min: 1, max: MINIMUM_QUANTITY - 1 }), fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined })], RUNS)(
    'fewer than 50 devices are refused BELOW_MINIMUM, whatever the price offered',
    (id, q, price) => {
      expect(codeOf(() => quote(id, q, price))).toBe('BELOW_MINIMUM');
    },
  );

  test.prop([product, fc.integer({ min: LIST_PRICE_LIMIT + 1, max: MAXIMUM_QUANTITY }), fc.integer({ min: 1, max: MAXIMUM_UNIT_PRICE_FEN })], RUNS)(
    'above 10,000 devices the price is the negotiated one; without one the order is refused NEGOTIATED_PRICE_REQUIRED',
    (id, q, price) => {
      expect(codeOf(() => quote(id, q))).toBe('NEGOTIATED_PRICE_REQUIRED');
      expect(quote(id, q, price)).toMatchObject({ tier: 4, unitPriceFen: price, totalFen: q * price, negotiated: true });
    },
  );

  test.prop([fc.oneof(product, fc.string()), fc.oneof(fc.double(), fc.integer()), fc.option(fc.oneof(fc.double(), fc.integer()), { nil: undefined })], RUNS)(
    'any input gives a quote with a whole total or a contract error, never anything else',
    (id, q, price) => {
      const code = codeOf(() => quote(id, q, price));
      if (code === 'OK') expect(Number.isSafeInteger(quote(id, q, price).totalFen)).toBe(true);
      else expect(['INVALID_REQUEST', 'UNKNOWN_PRODUCT', 'BELOW_MINIMUM', 'NEGOTIATED_PRICE_REQUIRED']).toContain(code);
    },
  );
});
