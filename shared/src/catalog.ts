import { SeatlockError } from './errors';

export type ProductId = 'face-detection' | 'face-liveness' | 'face-recognition';
export type Modality = 'ir' | 'structured-light-3d' | 'monocular';
export type PlatformId = 'android' | 'hisilicon-dv300';

/** A price tier: quantities from `min` to `max` (inclusive; `null` = no upper bound) cost `unitPrice` CNY (`unitPriceFen` fen) each, or are negotiated when it is null. */
export interface Tier {
  readonly min: number;
  readonly max: number | null;
  readonly unitPrice: number | null;
  readonly unitPriceFen: number | null;
}

export interface Product {
  readonly id: ProductId;
  readonly name: string;
  /** The full feature list the product unlocks, including everything it builds on. */
  readonly features: readonly string[];
  readonly modalityRequired: boolean;
  readonly tiers: readonly Tier[];
}

export const CURRENCY = 'CNY';
export const MINIMUM_QUANTITY = 50;
/** Quantities above this have no list price: an admin enters a negotiated unit price. */
export const LIST_PRICE_LIMIT = 10_000;
/** The most devices one order may buy; a pool's seats are a 32-bit integer column (PostgreSQL `integer`). */
export const MAXIMUM_QUANTITY = 1_000_000;
/** The highest negotiated unit price (CNY) accepted; list prices are in the tens. */
export const MAXIMUM_UNIT_PRICE = 10_000;
/** Money is counted in fen, 1/100 CNY, as integers. */
export const FEN_PER_YUAN = 100;
/** MAXIMUM_UNIT_PRICE in fen: within the orders' 32-bit integer unit price column. */
export const MAXIMUM_UNIT_PRICE_FEN = MAXIMUM_UNIT_PRICE * FEN_PER_YUAN;
export const MODALITIES: readonly Modality[] = ['ir', 'structured-light-3d', 'monocular'];
export const TRIAL_TERMS = { days: 60, maxDevices: 3, perCustomerPerProduct: 1 } as const;
/** Applications are promised a decision within this many business days. */
export const REVIEW_BUSINESS_DAYS = 2;

export const PLATFORMS: readonly { id: PlatformId; name: string }[] = [
  { id: 'android', name: 'Android' },
  { id: 'hisilicon-dv300', name: 'HiSilicon DV300-class embedded Linux' },
];

const DETECTION_FEATURES = ['face.detection', 'face.alignment', 'face.tracking', 'face.best-shot', 'face.quality'];
const LIVENESS_FEATURES = [...DETECTION_FEATURES, 'face.liveness'];
const RECOGNITION_FEATURES = [...LIVENESS_FEATURES, 'face.verify-1to1', 'face.search-1toN'];

/** The four tiers of a product from its three list prices in whole CNY. */
function tiers(first: number, second: number, third: number): Tier[] {
  const listed = (min: number, max: number, unitPrice: number): Tier => ({ min, max, unitPrice, unitPriceFen: unitPrice * FEN_PER_YUAN });
  return [listed(MINIMUM_QUANTITY, 1_000, first), listed(1_001, 5_000, second), listed(5_001, LIST_PRICE_LIMIT, third), { min: LIST_PRICE_LIMIT + 1, max: null, unitPrice: null, unitPriceFen: null }];
}

export const PRODUCTS: readonly Product[] = [
  { id: 'face-detection', name: 'Face detection', features: DETECTION_FEATURES, modalityRequired: false, tiers: tiers(68, 58, 48) },
  { id: 'face-liveness', name: 'Face liveness', features: LIVENESS_FEATURES, modalityRequired: true, tiers: tiers(88, 78, 68) },
  { id: 'face-recognition', name: 'Face recognition', features: RECOGNITION_FEATURES, modalityRequired: true, tiers: tiers(118, 95, 88) },
];

/** The catalog as the server publishes it at `GET /v1/catalog`. */
export const CATALOG = {
  currency: CURRENCY,
  minimumQuantity: MINIMUM_QUANTITY,
  listPriceLimit: LIST_PRICE_LIMIT,
  maximumQuantity: MAXIMUM_QUANTITY,
  modalities: MODALITIES,
  platforms: PLATFORMS,
  trial: TRIAL_TERMS,
  reviewBusinessDays: REVIEW_BUSINESS_DAYS,
  products: PRODUCTS,
} as const;

/**
 * Looks a product up by id.
 *
 * @throws SeatlockError `UNKNOWN_PRODUCT` when the catalog has no such product.
 * @example getProduct('face-recognition').features.includes('face.liveness') // true
 */
export function getProduct(id: string): Product {
  const product = PRODUCTS.find((p) => p.id === id);
  if (!product) {
    throw new SeatlockError('UNKNOWN_PRODUCT', `Unknown product "${id}"; the catalog has ${PRODUCTS.map((p) => p.id).join(', ')}.`);
  }
  return product;
}

/**
 * Checks the modality an order or trial names against its product: required (and one of
 * {@link MODALITIES}) for liveness and recognition, absent for detection. Returns the modality, or null.
 */
export function resolveModality(product: Product, modality: string | null | undefined): Modality | null {
  if (!product.modalityRequired) {
    if (modality) {
      throw new SeatlockError('INVALID_REQUEST', `${product.id} takes no liveness modality; "${modality}" was given.`);
    }
    return null;
  }
  if (!modality) {
    throw new SeatlockError('MODALITY_REQUIRED', `${product.id} needs a liveness modality: one of ${MODALITIES.join(', ')}.`);
  }
  if (!MODALITIES.includes(modality as Modality)) {
    throw new SeatlockError('INVALID_REQUEST', `Unknown liveness modality "${modality}"; expected one of ${MODALITIES.join(', ')}.`);
  }
  return modality as Modality;
}

/** Whether devices of this platform may activate. */
export function isSupportedPlatform(platform: string): platform is PlatformId {
  return PLATFORMS.some((p) => p.id === platform);
}
