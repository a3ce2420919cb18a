/** Stable error codes of the public contract, with the HTTP status each one answers with. */
export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_PRODUCT: 422,
  MODALITY_REQUIRED: 422,
  BELOW_MINIMUM: 422,
  NEGOTIATED_PRICE_REQUIRED: 422,
  NOT_SUBMITTED: 409,
  TRIAL_ALREADY_USED: 409,
  INVALID_ACTIVATION_CODE: 403,
  SEATS_EXHAUSTED: 409,
  TRIAL_EXPIRED: 403,
  UNSUPPORTED_PLATFORM: 422,
  WEAK_FINGERPRINT: 422,
  DEVICE_REVOKED: 403,
  RATE_LIMITED: 429,
  STORAGE_FULL: 503,
  NOT_READY: 503,
  BATCH_TOO_LARGE: 413,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The one error type of the contract: callers branch on `code`, never on the message.
 *
 * @example
 * throw new SeatlockError('BELOW_MINIMUM', 'An order needs at least 50 devices; 12 were asked for.');
 */
export class SeatlockError extends Error {
  override readonly name = 'SeatlockError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Whether `value` is a SeatlockError carrying `code` (any code when omitted). */
export function isSeatlockError(value: unknown, code?: ErrorCode): value is SeatlockError {
  return value instanceof SeatlockError && (code === undefined || value.code === code);
}
