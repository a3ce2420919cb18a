// Generated from the server's OpenAPI document by console/scripts/api-types.mjs; do not edit.

export interface ErrorBody {
  /** Stable; branch on it, never on the message */
  code: "INVALID_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "UNKNOWN_PRODUCT" | "MODALITY_REQUIRED" | "BELOW_MINIMUM" | "NEGOTIATED_PRICE_REQUIRED" | "NOT_SUBMITTED" | "TRIAL_ALREADY_USED" | "INVALID_ACTIVATION_CODE" | "SEATS_EXHAUSTED" | "TRIAL_EXPIRED" | "UNSUPPORTED_PLATFORM" | "WEAK_FINGERPRINT" | "DEVICE_REVOKED" | "RATE_LIMITED" | "STORAGE_FULL" | "NOT_READY" | "BATCH_TOO_LARGE";
  message: string;
}

export interface ErrorResponse {
  error: ErrorBody;
}

export interface AuditEventDto {
  seq: number;
  at: string;
  action: string;
  /** `token:<id>`, `user:<id>`, `cli`, `device`, `system` */
  actor: string;
  /** The actor's name: a person's name or email, a token's name, `seatlock-admin` for the CLI */
  actorName: string | null;
  subject: string;
  /** The name of the customer the event concerns */
  customerName: string | null;
  data: Record<string, unknown>;
  hash: string;
}

export interface AuditEventDtoPage {
  items: AuditEventDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface ChainVerdictDto {
  ok: boolean;
  events: number;
  /** First sequence number where the chain breaks */
  brokenAt?: number;
  reason?: string;
  /** Checkpoints whose signature and place in the chain were checked */
  checkpoints: number;
  /** The last event a valid checkpoint covers; later events are protected only by their hash links */
  signedThrough: number;
  /** The event the given anchor covers, when one was given and holds */
  anchoredAt?: number;
  /** When resumed: the signed event the walk started from; the links up to it were not re-read */
  resumedFrom?: number;
}

export interface VerifyAnchorDto {
  /** The `anchor` JWS printed by `seatlock-admin audit anchor` */
  anchor: string;
  /** Only the events after the newest signed checkpoint, or after the anchor when it is older */
  resume?: boolean;
}

export interface IssuerDto {
  kid: string;
  /** PEM */
  certificate: string;
  createdAt: string;
}

export interface TrustDto {
  /** The root CA certificate (PEM) to pin */
  root: string;
  issuers: IssuerDto[];
}

export interface CreateTokenDto {
  role: "admin" | "issuer" | "auditor" | "customer";
  /** What the token is for */
  name?: string;
  /** The customer a customer token acts for; required for that role only */
  customerId?: string;
}

export interface CreatedTokenDto {
  id: string;
  role: "admin" | "issuer" | "auditor" | "customer";
  name: string;
  /** The customer a customer token acts for */
  customerId: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** The bearer token, shown this once; stored hashed */
  token: string;
}

export interface TokenDto {
  id: string;
  role: "admin" | "issuer" | "auditor" | "customer";
  name: string;
  /** The customer a customer token acts for */
  customerId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface TokenDtoPage {
  items: TokenDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface InviteUserDto {
  email: string;
  /** A display name: NFC, trimmed, without control or bidirectional characters */
  name?: string;
  role: "admin" | "issuer" | "auditor" | "customer";
  /** The customer a customer user acts for; required for that role only */
  customerId?: string;
  /** The language of the person's e-mails */
  language?: "en" | "zh-CN";
}

export interface InviteDto {
  id: string;
  /** The one-time invite token for POST /v1/users/accept, shown this once */
  invite: string;
  inviteExpiresAt: string;
}

export interface AcceptInviteDto {
  /** The invite token from POST /v1/users */
  invite: string;
  password: string;
}

export interface UserDto {
  id: string;
  email: string;
  /** A display name, when one was given */
  name: string | null;
  role: "admin" | "issuer" | "auditor" | "customer";
  /** The customer a customer user acts for */
  customerId: string | null;
  status: "invited" | "active" | "disabled";
  /** The language of the person's e-mails */
  language: "en" | "zh-CN";
  createdAt: string;
}

export interface ListedUserDto {
  id: string;
  email: string;
  /** A display name, when one was given */
  name: string | null;
  role: "admin" | "issuer" | "auditor" | "customer";
  /** The customer a customer user acts for */
  customerId: string | null;
  status: "invited" | "active" | "disabled";
  /** The language of the person's e-mails */
  language: "en" | "zh-CN";
  createdAt: string;
  /** The name of the customer a customer user acts for */
  customerName: string | null;
}

export interface ListedUserDtoPage {
  items: ListedUserDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface SignInDto {
  email: string;
  password: string;
}

export interface SignedInDto {
  user: UserDto;
  /** The absolute end of the session */
  expiresAt: string;
}

export interface MeDto {
  kind: "user" | "token";
  id: string;
  role: "admin" | "issuer" | "auditor" | "customer";
  customerId: string | null;
  /** Users only */
  email?: string;
  /** Users only */
  status?: "invited" | "active" | "disabled";
  /** A token's name, or a user's display name (null when none was given) */
  name?: string | null;
  createdAt: string;
}

export interface CreateCustomerDto {
  name: string;
}

export interface CustomerDto {
  id: string;
  name: string;
  createdAt: string;
}

export interface CustomerDtoPage {
  items: CustomerDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface PlatformDto {
  id: string;
  name: string;
}

export interface TrialTermsDto {
  days: number;
  maxDevices: number;
  perCustomerPerProduct: number;
}

export interface TierDto {
  min: number;
  /** null: no upper bound */
  max: number | null;
  /** CNY per device; null: negotiated */
  unitPrice: number | null;
  /** Fen (1/100 CNY) per device; null: negotiated */
  unitPriceFen: number | null;
}

export interface ProductDto {
  id: string;
  name: string;
  features: string[];
  modalityRequired: boolean;
  tiers: TierDto[];
}

export interface CatalogDto {
  currency: string;
  minimumQuantity: number;
  listPriceLimit: number;
  /** The most devices one order may buy */
  maximumQuantity: number;
  modalities: ("ir" | "structured-light-3d" | "monocular")[];
  platforms: PlatformDto[];
  trial: TrialTermsDto;
  reviewBusinessDays: number;
  products: ProductDto[];
}

export interface QuoteDto {
  product: string;
  quantity: number;
  tier: number;
  /** Fen (1/100 CNY), exact */
  unitPriceFen: number;
  /** Fen (1/100 CNY), exact */
  totalFen: number;
  /** unitPriceFen in CNY (may have two decimals) */
  unitPrice: number;
  /** totalFen in CNY (may have two decimals) */
  total: number;
  currency: string;
  negotiated: boolean;
}

export interface PoolDto {
  id: string;
  kind: "perpetual" | "trial";
  customerId: string;
  /** The customer's name */
  customerName: string | null;
  product: string;
  modality: string | null;
  seats: number;
  seatsUsed: number;
  /** Trials only */
  expiresAt: string | null;
  createdAt: string;
}

export interface PoolDtoPage {
  items: PoolDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface ActivationCodeDto {
  /** The new code, shown this once; the previous one no longer works */
  activationCode: string;
}

export interface DeviceSummaryDto {
  id: string;
  poolId: string;
  customerId: string;
  platform: string;
  /** A short label for screens: the weightiest strong component and the start of its keyed hash, never a raw serial */
  hardwareLabel: string;
  status: "active" | "revoked";
  licenseId: string;
  /** Names of the fingerprint components the license is bound to */
  components: string[];
  activatedAt: string;
  revokedAt: string | null;
}

export interface DeviceSummaryDtoPage {
  items: DeviceSummaryDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface DeviceSearchDto {
  deviceId?: string;
  licenseId?: string;
  /** A strong component (the ones devices are indexed by) */
  component?: string;
  /** The raw value as read off the board; hashed as the agent hashes it, never stored */
  value?: string;
}

export interface DeviceDto {
  id: string;
  poolId: string;
  customerId: string;
  platform: string;
  /** A short label for screens: the weightiest strong component and the start of its keyed hash, never a raw serial */
  hardwareLabel: string;
  status: "active" | "revoked";
  licenseId: string;
  /** Names of the fingerprint components the license is bound to */
  components: string[];
  activatedAt: string;
  revokedAt: string | null;
  /** The license file text */
  license: string;
}

export interface DeviceSearchResult {
  /** The devices found, in activation order (at most 100) */
  items: DeviceDto[];
}

export interface DecisionDto {
  /** Why, for the audit log and the customer */
  reason?: string;
}

export interface SubmitOrderDto {
  /** Required from staff; a customer applies for its own customer (naming another answers NOT_FOUND) */
  customerId?: string;
  product: string;
  /** Devices; at least 50, at most 1,000,000 */
  quantity: number;
  /** Required for liveness and recognition */
  modality?: "ir" | "structured-light-3d" | "monocular";
  /** Negotiated unit price in whole CNY, at most 10,000; admins only; required above 10,000 devices, refused below. Or unitPriceFen */
  unitPrice?: number;
  /** The negotiated unit price in fen (39.50 CNY is 3950), at most 1,000,000; instead of unitPrice */
  unitPriceFen?: number;
}

export interface OrderDto {
  id: string;
  customerId: string;
  /** The customer's name */
  customerName: string | null;
  product: string;
  modality: string | null;
  status: "submitted" | "approved" | "rejected";
  submittedAt: string;
  /** Who submitted it: `token:<id>`, `user:<id>` or `cli` */
  submittedBy: string;
  /** The submitter's name: a person's name (or email), a token's name, `seatlock-admin` for the CLI */
  submittedByName: string | null;
  /** The promised decision date: 2 business days after submission */
  reviewDueAt: string;
  /** Still submitted past reviewDueAt */
  overdue: boolean;
  decidedAt: string | null;
  /** The reviewer's reason for the decision, shown to the customer; always present on a rejection */
  decisionReason: string | null;
  /** The pool its approval created */
  poolId: string | null;
  quantity: number;
  /** 1-based price tier the quantity reaches */
  tier: number;
  /** Fen (1/100 CNY), exact; null until an admin enters the negotiated price */
  unitPriceFen: number | null;
  /** Fen (1/100 CNY), exact; null until priced */
  totalFen: number | null;
  /** unitPriceFen in CNY (may have two decimals); null until an admin enters the negotiated price */
  unitPrice: number | null;
  /** totalFen in CNY (may have two decimals); null until priced */
  total: number | null;
  currency: string;
  /** Above the list-price limit: a negotiated price */
  negotiated: boolean;
}

export interface OrderDtoPage {
  items: OrderDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface OrderDecisionDto {
  /** Why, for the audit log and the customer */
  reason?: string;
  /** Admins only: the negotiated unit price in whole CNY of an order submitted without one (or unitPriceFen). Only records the price; another admin, neither its submitter nor who priced it, then approves the order */
  unitPrice?: number;
  /** The negotiated unit price in fen (39.50 CNY is 3950), instead of unitPrice */
  unitPriceFen?: number;
}

export interface CreatedPoolDto {
  id: string;
  kind: "perpetual" | "trial";
  customerId: string;
  /** The customer's name */
  customerName: string | null;
  product: string;
  modality: string | null;
  seats: number;
  seatsUsed: number;
  /** Trials only */
  expiresAt: string | null;
  createdAt: string;
  /** Shown once; stored hashed */
  activationCode: string;
}

export interface DecisionResultDto {
  id: string;
  status: "submitted" | "approved" | "rejected";
  /** On approval: the new pool and its activation code, shown this once */
  pool?: CreatedPoolDto;
}

export interface RejectionDto {
  /** Why the application is rejected: required, shown to the customer and kept in the audit log */
  reason: string;
}

export interface SubmitTrialDto {
  /** Required from staff; a customer applies for its own customer (naming another answers NOT_FOUND) */
  customerId?: string;
  product: string;
  modality?: "ir" | "structured-light-3d" | "monocular";
}

export interface TrialDto {
  id: string;
  customerId: string;
  /** The customer's name */
  customerName: string | null;
  product: string;
  modality: string | null;
  status: "submitted" | "approved" | "rejected";
  submittedAt: string;
  /** Who submitted it: `token:<id>`, `user:<id>` or `cli` */
  submittedBy: string;
  /** The submitter's name: a person's name (or email), a token's name, `seatlock-admin` for the CLI */
  submittedByName: string | null;
  /** The promised decision date: 2 business days after submission */
  reviewDueAt: string;
  /** Still submitted past reviewDueAt */
  overdue: boolean;
  decidedAt: string | null;
  /** The reviewer's reason for the decision, shown to the customer; always present on a rejection */
  decisionReason: string | null;
  /** The pool its approval created */
  poolId: string | null;
}

export interface TrialDtoPage {
  items: TrialDto[];
  /** Rows matching the filter, over all pages; null on a page asked for by cursor (not counted) */
  total: number | null;
  /** Give it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface ActivateDto {
  /** The pool's activation code */
  activationCode: string;
  platform: string;
  /** Hashed fingerprint components: `{v: 1, components: {name: {h, w, s}}}` */
  fingerprint: Record<string, unknown>;
  /** Names of the fingerprint components the device maker declared rather than the agent collected (never registry names); implied by the names when absent */
  declared?: string[];
}

export interface ActivationResponse {
  deviceId: string;
  poolId: string;
  /** The license file text */
  license: string;
  seats: number;
  seatsUsed: number;
}

export interface BatchError {
  code: string;
  message: string;
}

export interface BatchOutcomeResponse {
  /** Position of the request file in the body, from 0 */
  index: number;
  /** `created`: a new seat; `existing`: already bound, its license again; `refused`: see `error` */
  outcome: "created" | "existing" | "refused";
  deviceId?: string;
  /** The license file text (created and existing) */
  license?: string;
  /** The contract's error code and message (refused) */
  error?: BatchError;
}

export interface BatchResponse {
  created: number;
  existing: number;
  refused: number;
  /** One per request file, in the order of the body */
  results: BatchOutcomeResponse[];
}

export interface PoolSeatsDto {
  customerId: string;
  /** The customer's name */
  customerName: string | null;
  product: string;
  modality: string | null;
  seats: number;
  seatsUsed: number;
  poolId: string;
  kind: "perpetual" | "trial";
  seatsLeft: number;
  /** Seats used of the total, in whole percent rounded down (79.9 % is 79) */
  percentUsed: number;
  /** Trials only */
  expiresAt: string | null;
}

export interface SeatsOverviewDto {
  /** The fullest first, at most `limit` */
  items: PoolSeatsDto[];
  /** Pools at or above minPercent */
  matching: number;
  /** Of those, pools with every seat used */
  full: number;
}

export interface TrialEndingDto {
  customerId: string;
  /** The customer's name */
  customerName: string | null;
  product: string;
  modality: string | null;
  seats: number;
  seatsUsed: number;
  poolId: string;
  expiresAt: string;
  /** Days until it ends, counted up: 1 on its last day */
  daysLeft: number;
}

export interface TrialsOverviewDto {
  /** The soonest ending first, at most `limit` */
  items: TrialEndingDto[];
  /** Running trials ending within withinDays (all running trials without it) */
  matching: number;
}

export interface ActivationDayDto {
  /** A UTC day */
  day: string;
  /** Devices first activated that day (re-activations are not counted; revoked devices are) */
  activations: number;
}

export interface ActivationsOverviewDto {
  /** Days are UTC days */
  timeZone: "UTC";
  /** Every day from the oldest to today, days without activations as 0 */
  days: ActivationDayDto[];
  /** The sum over these days */
  total: number;
}

export interface ReviewCountsDto {
  /** Submitted, waiting for a decision */
  submitted: number;
  /** Of those, past their review due date */
  overdue: number;
}

export interface ReviewOverviewDto {
  orders: ReviewCountsDto;
  trials: ReviewCountsDto;
  /** The earliest review due date of what waits */
  nextDueAt: string | null;
}

export interface ApplicationEventData {
  /** order.* events */
  orderId?: string;
  /** trial.* events */
  trialId?: string;
  customerId: string;
  /** submitted */
  product?: string;
  /** order.submitted */
  quantity?: number;
  /** approved: the pool made */
  poolId?: string;
  /** approved or rejected: the reviewer's reason, when one was given */
  reason?: string;
}

export interface PoolCreatedData {
  poolId: string;
  customerId: string;
  kind: "perpetual" | "trial";
  product: string;
  seats: number;
  expiresAt: string | null;
}

export interface PoolUsageData {
  poolId: string;
  customerId: string;
  seats: number;
  seatsUsed: number;
}

export interface ActivatedDevice {
  deviceId: string;
  licenseId: string;
  platform: string;
}

export interface DeviceActivatedData {
  poolId: string;
  customerId: string;
  /** Every device of the pool activated within one second */
  devices: ActivatedDevice[];
}

export interface DeviceRevokedData {
  deviceId: string;
  poolId: string;
  customerId: string;
  reason?: string;
}

export interface SigningKeyRotatedData {
  /** The new issuing key */
  kid: string;
  rootKid: string;
}

export interface AuditVerificationFailedData {
  /** Events checked before the break */
  events: number;
  /** The first event where the chain breaks */
  brokenAt?: number;
  reason: string;
}

export const WebhookEventType = ["order.submitted","order.approved","order.rejected","trial.submitted","trial.approved","trial.rejected","pool.created","pool.nearly_full","pool.full","device.activated","device.revoked","signing_key.rotated","audit.verification_failed"] as const;
export type WebhookEventType = (typeof WebhookEventType)[number];

export interface WebhookEventBody {
  type: WebhookEventType;
  /** When the change was committed */
  timestamp: string;
  /** By type: order.submitted: ApplicationEventData; order.approved: ApplicationEventData; order.rejected: ApplicationEventData; trial.submitted: ApplicationEventData; trial.approved: ApplicationEventData; trial.rejected: ApplicationEventData; pool.created: PoolCreatedData; pool.nearly_full: PoolUsageData (80 % of the seats bound); pool.full: PoolUsageData; device.activated: DeviceActivatedData (batched per second per pool); device.revoked: DeviceRevokedData; signing_key.rotated: SigningKeyRotatedData; audit.verification_failed: AuditVerificationFailedData */
  data: Record<string, unknown>;
}

export interface CreateWebhookDto {
  /** http or https; loopback, private and link-local addresses are refused unless SEATLOCK_WEBHOOK_ALLOW_PRIVATE is set */
  url: string;
  eventTypes: WebhookEventType[];
}

export interface WebhookEndpointWithSecretDto {
  id: string;
  url: string;
  eventTypes: WebhookEventType[];
  status: "enabled" | "disabled";
  /** Since when every delivery has failed; the endpoint is disabled after SEATLOCK_WEBHOOK_DISABLE_AFTER_DAYS */
  failingSince: string | null;
  /** After a rotation, the previous secret signs too until then */
  previousSecretUntil: string | null;
  createdAt: string;
  disabledAt: string | null;
  /** The signing secret (`whsec_...`), in this answer only */
  secret: string;
}

export interface WebhookEndpointDto {
  id: string;
  url: string;
  eventTypes: WebhookEventType[];
  status: "enabled" | "disabled";
  /** Since when every delivery has failed; the endpoint is disabled after SEATLOCK_WEBHOOK_DISABLE_AFTER_DAYS */
  failingSince: string | null;
  /** After a rotation, the previous secret signs too until then */
  previousSecretUntil: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface WebhookEndpointList {
  items: WebhookEndpointDto[];
}

export interface UpdateWebhookDto {
  url?: string;
  eventTypes?: WebhookEventType[];
  /** false disables the endpoint (what waits for it fails); true enables it again */
  enabled?: boolean;
}

export interface WebhookDeliveryDto {
  id: number;
  eventId: number;
  type: WebhookEventType;
  recipient: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** The receiver's last HTTP status */
  answerStatus: number | null;
  /** At most the first 1 KB of the last answer */
  answer: string | null;
  error: string | null;
}

export interface WebhookDeliveryList {
  items: WebhookDeliveryDto[];
}

export interface HealthDto {
  status: string;
}
