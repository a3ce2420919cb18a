import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

/** Everything the server reads from its environment, parsed once at start. */
export interface ServerConfig {
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** A `postgres://` URL switches storage to PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  readonly adminToken?: string;
  readonly keyPassphrase?: string;
  /**
   * Addresses and CIDRs of the proxies in front of the server, whose X-Forwarded-* headers are
   * believed; none when empty (the connection's own address is the client's).
   */
  readonly trustProxy: readonly string[];
  readonly rateLimit: { readonly maxFailures: number; readonly windowSeconds: number };
  /** A signed-in session ends after this long unused, and in any case this long after sign-in. */
  readonly sessions: { readonly idleMinutes: number; readonly maxHours: number };
  readonly signingWorkers: number;
  readonly activationBatchSize: number;
  /** The audit chain's head is signed once this many events follow the last checkpoint... */
  readonly auditCheckpointEvents: number;
  /** ...and, on a serving instance, at most this many seconds after an event was appended. */
  readonly auditCheckpointSeconds: number;
  /** On SIGTERM, /readyz answers 503 this long before the server stops taking connections (load balancers notice). */
  readonly shutdownDelaySeconds: number;
  /** The bearer token Prometheus scrapes /metrics with; /metrics refuses every request without one. */
  readonly metricsToken?: string;
  /** pino's level for the server's JSON logs. */
  readonly logLevel: LogLevel;
  /** JSON lines, or plain lines for a person at a terminal (the default when stderr is one). */
  readonly logFormat: LogFormat;
  /** Where people open the console (`SEATLOCK_PUBLIC_URL`, behind a proxy); invite links start with it. */
  readonly publicUrl?: string;
  /** The built web console served at `/` (`npm run build` writes it); none is served when it is missing. */
  readonly consoleDir: string;
  readonly outbox: {
    /** How often a serving instance looks for deliveries that are due. */
    readonly pollMs: number;
    /** The first retry waits about this long; each later one twice as long as the one before (capped). */
    readonly retryBaseMs: number;
    /** How often a serving instance looks for reminders that have come due (reviews, trial ends). */
    readonly reminderScanSeconds: number;
  };
  /** E-mail: nothing is sent (nor queued) without an SMTP URL. */
  readonly mail: {
    /** `smtp://user:pass@host:587` or `smtps://...` (nodemailer's connection URL). */
    readonly smtpUrl?: string;
    readonly from: string;
  };
  readonly webhooks: {
    /** Lets endpoints point at loopback, private and link-local addresses (a private network's own receivers). */
    readonly allowPrivate: boolean;
    /** A request that has not been answered in full by then fails. */
    readonly timeoutSeconds: number;
    /** An endpoint whose deliveries have failed for this many days running is disabled. */
    readonly disableAfterDays: number;
  };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const CONFIG = Symbol('ServerConfig');

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}; got "${raw}".`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = optional(env[name]);
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`${name} must be 1 or true (or 0, false); got "${raw}".`);
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function metricsToken(value: string | undefined): string | undefined {
  if (value !== undefined && value.length < 16) throw new Error('SEATLOCK_METRICS_TOKEN must be at least 16 characters.');
  return value;
}

/**
 * A comma-separated list of addresses and CIDRs. Never `true` or a hop count: either lets a
 * client that reaches the server directly, or writes its own X-Forwarded-For entries, pick the
 * address it is counted under.
 */
function trustedProxies(value: string | undefined): string[] {
  if (value === undefined || value === 'false') return [];
  const entries = value.split(',').map((entry) => entry.trim());
  if (!entries.every(isAddressOrCidr)) {
    throw new Error(
      'SEATLOCK_TRUST_PROXY must list the addresses or CIDRs of the proxies in front of the server, comma-separated (for example 10.0.0.0/8,192.0.2.7); ' +
        `"true" and hop counts are not accepted, since a client could then choose the address it is counted under; got "${value}".`,
    );
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

function logLevel(value: string | undefined): LogLevel {
  if (value === undefined) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${value}".`);
  return value as LogLevel;
}

function publicUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new Error(`SEATLOCK_PUBLIC_URL must be an http or https URL; got "${value}".`);
  return value.replace(/\/+$/, '');
}

function smtpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^smtps?:$/.test(new URL(value).protocol)) throw new Error('SEATLOCK_SMTP_URL must be an smtp:// or smtps:// URL.');
  return value;
}

function logFormat(value: string | undefined, terminal: boolean): LogFormat {
  if (value === undefined) return terminal ? 'text' : 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(value)) throw new Error(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}; got "${value}".`);
  return value as LogFormat;
}

/** `terminal`: whether stderr is one, which makes plain log lines the default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, terminal = process.stderr.isTTY === true): ServerConfig {
  const databaseUrl = optional(env.DATABASE_URL);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must be a postgres:// URL.');
  return {
    production: env.NODE_ENV === 'production',
    port: integer(env, 'PORT', 8080, 0),
    host: optional(env.HOST) ?? '0.0.0.0',
    dataDir: resolve(optional(env.SEATLOCK_DATA_DIR) ?? './data'),
    databaseUrl,
    adminToken: optional(env.SEATLOCK_ADMIN_TOKEN),
    keyPassphrase: optional(env.SEATLOCK_KEY_PASSPHRASE),
    trustProxy: trustedProxies(optional(env.SEATLOCK_TRUST_PROXY)),
    rateLimit: {
      maxFailures: integer(env, 'SEATLOCK_RATE_LIMIT_FAILURES', 10, 1),
      windowSeconds: integer(env, 'SEATLOCK_RATE_LIMIT_WINDOW_SECONDS', 60, 1),
    },
    sessions: {
      idleMinutes: integer(env, 'SEATLOCK_SESSION_IDLE_MINUTES', 30, 1),
      maxHours: integer(env, 'SEATLOCK_SESSION_MAX_HOURS', 12, 1),
    },
    // One signer per core: with one fewer, the lone signer was the bottleneck on two cores while
    // the event loop left a tenth of the CPU idle. The OS shares the cores between them.
    signingWorkers: integer(env, 'SEATLOCK_SIGNING_WORKERS', availableParallelism(), 1),
    activationBatchSize: integer(env, 'SEATLOCK_ACTIVATION_BATCH_SIZE', 256, 1),
    auditCheckpointEvents: integer(env, 'SEATLOCK_AUDIT_CHECKPOINT_EVENTS', 1000, 1),
    auditCheckpointSeconds: integer(env, 'SEATLOCK_AUDIT_CHECKPOINT_SECONDS', 10, 1),
    shutdownDelaySeconds: integer(env, 'SEATLOCK_SHUTDOWN_DELAY_SECONDS', 0, 0),
    metricsToken: metricsToken(optional(env.SEATLOCK_METRICS_TOKEN)),
    logLevel: logLevel(optional(env.LOG_LEVEL)),
    logFormat: logFormat(optional(env.LOG_FORMAT), terminal),
    publicUrl: publicUrl(optional(env.SEATLOCK_PUBLIC_URL)),
    consoleDir: resolve(optional(env.SEATLOCK_CONSOLE_DIR) ?? join(__dirname, '../../../console/dist')),
    outbox: {
      pollMs: integer(env, 'SEATLOCK_OUTBOX_POLL_MS', 1000, 10),
      retryBaseMs: integer(env, 'SEATLOCK_OUTBOX_RETRY_BASE_MS', 10_000, 1),
      reminderScanSeconds: integer(env, 'SEATLOCK_REMINDER_SCAN_SECONDS', 60, 1),
    },
    mail: {
      smtpUrl: smtpUrl(optional(env.SEATLOCK_SMTP_URL)),
      from: optional(env.SEATLOCK_MAIL_FROM) ?? 'Seatlock <seatlock@localhost>',
    },
    webhooks: {
      allowPrivate: flag(env, 'SEATLOCK_WEBHOOK_ALLOW_PRIVATE'),
      timeoutSeconds: integer(env, 'SEATLOCK_WEBHOOK_TIMEOUT_SECONDS', 10, 1),
      disableAfterDays: integer(env, 'SEATLOCK_WEBHOOK_DISABLE_AFTER_DAYS', 5, 1),
    },
  };
}

export function sqlitePath(config: ServerConfig): string {
  return join(config.dataDir, 'seatlock.sqlite');
}

/** The console's address: SEATLOCK_PUBLIC_URL, or this machine at the port the server listens on. */
export function consoleUrl(config: ServerConfig, port: number = config.port): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : isIP(config.host) === 6 ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}

/** The page an invited person opens to set a password. */
export function inviteLink(config: ServerConfig, invite: string): string {
  return `${consoleUrl(config)}/accept-invite?invite=${encodeURIComponent(invite)}`;
}
