import { CURRENCY, getProduct, LIST_PRICE_LIMIT, MAXIMUM_QUANTITY, MAXIMUM_UNIT_PRICE, MINIMUM_QUANTITY, type ProductId } from './catalog';
import { SeatlockError } from './errors';

export interface Quote {
  product: ProductId;
  quantity: number;
  /** 1-based index of the tier the quantity reaches. */
  tier: number;
  unitPrice: number;
  total: number;
  currency: string;
  negotiated: boolean;
}

function assertWholeNumber(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SeatlockError('INVALID_REQUEST', `${name} must be a whole number from ${min} to ${max}; got ${value}.`, { min, max });
  }
}

/**
 * Prices an order: the whole quantity at the unit price of the tier it reaches, in whole CNY.
 *
 * @throws SeatlockError `BELOW_MINIMUM` under 50 devices, `NEGOTIATED_PRICE_REQUIRED` above
 *   10,000 without a negotiated unit price, `UNKNOWN_PRODUCT`, `INVALID_REQUEST` (also above
 *   1,000,000 devices or a negotiated unit price above 10,000 CNY).
 * @example quote('face-recognition', 1000).total // 118000
 */
export function quote(productId: string, quantity: number, negotiatedUnitPrice?: number): Quote {
  const product = getProduct(productId);
  assertWholeNumber('quantity', quantity, 1, MAXIMUM_QUANTITY);
  if (quantity < MINIMUM_QUANTITY) {
    throw new SeatlockError(
      'BELOW_MINIMUM',
      `An order needs at least ${MINIMUM_QUANTITY} devices; ${quantity} were asked for. A trial covers up to 3 devices.`,
      { minimum: MINIMUM_QUANTITY, quantity },
    );
  }
  const tierIndex = product.tiers.findIndex((t) => quantity >= t.min && (t.max === null || quantity <= t.max));
  const tier = product.tiers[tierIndex];
  let unitPrice = tier.unitPrice;
  const negotiated = unitPrice === null;
  if (unitPrice === null) {
    if (negotiatedUnitPrice === undefined || negotiatedUnitPrice === null) {
      throw new SeatlockError(
        'NEGOTIATED_PRICE_REQUIRED',
        `Orders above ${LIST_PRICE_LIMIT} devices have no list price; an admin must enter the negotiated unit price.`,
        { quantity, listPriceLimit: LIST_PRICE_LIMIT },
      );
    }
    assertWholeNumber('unitPrice', negotiatedUnitPrice, 1, MAXIMUM_UNIT_PRICE);
    unitPrice = negotiatedUnitPrice;
  } else if (negotiatedUnitPrice !== undefined && negotiatedUnitPrice !== null) {
    throw new SeatlockError('INVALID_REQUEST', `A negotiated unit price applies only above ${LIST_PRICE_LIMIT} devices.`);
  }
  // At most 1,000,000 × 10,000: always exact, and within the orders' bigint total column.
  const total = unitPrice * quantity;
  return { product: product.id, quantity, tier: tierIndex + 1, unitPrice, total, currency: CURRENCY, negotiated };
}
