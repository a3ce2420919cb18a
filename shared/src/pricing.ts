import { CURRENCY, FEN_PER_YUAN, getProduct, LIST_PRICE_LIMIT, MAXIMUM_QUANTITY, MAXIMUM_UNIT_PRICE_FEN, MINIMUM_QUANTITY, type ProductId } from './catalog';
import { SeatlockError } from './errors';

export interface Quote {
  product: ProductId;
  quantity: number;
  /** 1-based index of the tier the quantity reaches. */
  tier: number;
  /** The exact unit price in fen (1/100 CNY); money is computed and stored in fen. */
  unitPriceFen: number;
  totalFen: number;
  /** The same in CNY, for display and for clients written before fen: may have two decimals. */
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
 * Prices an order: the whole quantity at the unit price of the tier it reaches. Amounts are
 * integers in fen (a negotiated 39.50 CNY is 3950); `unitPrice` and `total` repeat them in CNY.
 *
 * @throws SeatlockError `BELOW_MINIMUM` under 50 devices, `NEGOTIATED_PRICE_REQUIRED` above
 *   10,000 without a negotiated unit price, `UNKNOWN_PRODUCT`, `INVALID_REQUEST` (also above
 *   1,000,000 devices or a negotiated unit price above 10,000 CNY).
 * @example quote('face-recognition', 1000).totalFen // 11800000
 * @example quote('face-recognition', 20_000, 3950).total // 790000
 */
export function quote(productId: string, quantity: number, negotiatedUnitPriceFen?: number): Quote {
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
  let unitPriceFen = tier.unitPriceFen;
  const negotiated = unitPriceFen === null;
  if (unitPriceFen === null) {
    if (negotiatedUnitPriceFen === undefined || negotiatedUnitPriceFen === null) {
      throw new SeatlockError(
        'NEGOTIATED_PRICE_REQUIRED',
        `Orders above ${LIST_PRICE_LIMIT} devices have no list price; an admin must enter the negotiated unit price.`,
        { quantity, listPriceLimit: LIST_PRICE_LIMIT },
      );
    }
    assertWholeNumber('unitPriceFen', negotiatedUnitPriceFen, 1, MAXIMUM_UNIT_PRICE_FEN);
    unitPriceFen = negotiatedUnitPriceFen;
  } else if (negotiatedUnitPriceFen !== undefined && negotiatedUnitPriceFen !== null) {
    throw new SeatlockError('INVALID_REQUEST', `A negotiated unit price applies only above ${LIST_PRICE_LIMIT} devices.`);
  }
  // At most 1,000,000 × 1,000,000 fen: always exact, and within the orders' bigint total column.
  const totalFen = unitPriceFen * quantity;
  return { product: product.id, quantity, tier: tierIndex + 1, unitPriceFen, totalFen, unitPrice: unitPriceFen / FEN_PER_YUAN, total: totalFen / FEN_PER_YUAN, currency: CURRENCY, negotiated };
}

/**
 * The negotiated unit price in fen a request names, as `unitPriceFen` or, as clients written
 * before fen do, in whole CNY as `unitPrice`; naming both is refused.
 *
 * @throws SeatlockError `INVALID_REQUEST` when both are given.
 * @example negotiatedPriceFen({ unitPrice: 40 }) // 4000
 */
export function negotiatedPriceFen(offer: { unitPrice?: number; unitPriceFen?: number }): number | undefined {
  if (offer.unitPrice !== undefined && offer.unitPriceFen !== undefined) {
    throw new SeatlockError('INVALID_REQUEST', 'Give the negotiated unit price once: unitPriceFen (fen) or unitPrice (whole CNY).');
  }
  return offer.unitPrice === undefined ? offer.unitPriceFen : offer.unitPrice * FEN_PER_YUAN;
}
