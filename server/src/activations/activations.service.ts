import { Inject, Injectable } from '@nestjs/common';
import {
  assertStrongFingerprint,
  declaredComponents,
  getProduct,
  isSeatlockError,
  isSupportedPlatform,
  type LicenseClaims,
  type Modality,
  parseFingerprint,
  PLATFORMS,
  readActivationRequest,
  readActivationRequests,
  SeatlockError,
  ACTIVATION_REQUEST_ARMOR,
  type ActivationRequest,
  MAX_BATCH_REQUESTS,
  parseLicense,
  toLicensedFingerprint,
} from '@seatlock/shared';
import { v7 as uuidv7 } from 'uuid';
import { AuditService } from '../audit/audit.service';
import { FailureRateLimiter } from '../auth/rate-limiter';
import { CLOCK, type Clock } from '../clock/clock';
import { Database } from '../database/database.service';
import { type BoundDevice, findSameDevice } from '../devices/device-identity';
import { PoolsService } from '../pools/pools.service';
import { countActivation } from '../metrics/metrics';
import { KeysService } from '../signing/keys.service';
import { LicenseSigner } from '../signing/license-signer';
import { ActivationWriter, type PendingBinding } from './activation-writer';

export interface ActivationInput {
  activationCode: string;
  platform: string;
  fingerprint: unknown;
  /** Components of the fingerprint the device maker declared; implied by the names when absent (older agents). */
  declared?: unknown;
}

export interface ActivationResult {
  /** True when a new seat was taken (201); false when the device was already bound (200). */
  created: boolean;
  deviceId: string;
  poolId: string;
  license: string;
  seats: number;
  seatsUsed: number;
}

function invalidCode(): SeatlockError {
  return new SeatlockError('INVALID_ACTIVATION_CODE', 'The activation code is not valid.');
}

@Injectable()
export class ActivationsService {
  constructor(
    private readonly db: Database,
    private readonly pools: PoolsService,
    private readonly signer: LicenseSigner,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
    private readonly writer: ActivationWriter,
    private readonly limiter: FailureRateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Activates a device, online or offline: checks the code, platform, fingerprint and expiry;
   * a device already bound to the pool gets its license again; a new one is signed a license and
   * takes a seat. The license is returned only once its device row is committed.
   */
  activateDevice(input: ActivationInput, client: string): Promise<ActivationResult> {
    return this.counted(() => this.activate(input, client));
  }

  /** Offline activation: the agent's request file in, the same rules as online. */
  activateFromRequest(requestText: string, client: string): Promise<ActivationResult> {
    return this.counted(() => this.activate(requestInput(readActivationRequest(requestText)), client));
  }

  private async counted(activation: () => Promise<ActivationResult>): Promise<ActivationResult> {
    try {
      const result = await activation();
      countActivation(result.created ? 'created' : 'existing');
      return result;
    } catch (error) {
      if (isSeatlockError(error)) countActivation('refused', error);
      else countActivation('failed');
      throw error;
    }
  }

  private async activate(input: ActivationInput, client: string): Promise<ActivationResult> {
    this.limiter.assertAllowed(client);
    const prepared = await this.prepareActivation(input, client);
    return 'bound' in prepared ? prepared.bound : this.bindPrepared(prepared.pending);
  }


  /**
   * A batch of request files (a factory line's): each one activated by the rules of
   * {@link activateDevice}, its outcome in the order of the files. Checks and signatures run
   * several at a time, but seats are taken in file order through the group-commit writer, so a
   * pool that runs out midway refuses the rest and the earlier files keep their seats; the same
   * batch again takes no seat and answers the same licenses.
   *
   * Resolves once every file's seat is queued (the outcomes follow): a batch sent after that, by
   * the same factory line, takes its seats after these, so a line may send its next batch then.
   *
   * @throws SeatlockError `RATE_LIMITED` for a limited address, `INVALID_REQUEST` for a body with no
   * request file, `BATCH_TOO_LARGE` above MAX_BATCH_REQUESTS files.
   */
  async activateBatch(body: string, client: string): Promise<QueuedBatch> {
    this.limiter.assertAllowed(client);
    const entries = readActivationRequests(body);
    if (entries.length === 0) throw new SeatlockError('INVALID_REQUEST', `The body holds no ${ACTIVATION_REQUEST_ARMOR} file.`);
    if (entries.length > MAX_BATCH_REQUESTS) {
      throw new SeatlockError('BATCH_TOO_LARGE', `A batch holds at most ${MAX_BATCH_REQUESTS} request files; this one holds ${entries.length}. Send it in parts.`);
    }
    const admitted = await this.admitByLimiter(entries, client);
    // Never rejects, so that a fault met midway leaves no promise unobserved; it fails the batch below.
    const prepare = async (entry: ActivationRequest | SeatlockError): Promise<PreparedActivation | SeatlockError | { fault: unknown }> => {
      if (entry instanceof SeatlockError) return entry;
      return this.prepareActivation(requestInput(entry), client).catch((error: unknown) => (error instanceof SeatlockError ? error : { fault: error }));
    };
    const prepared = startBounded(admitted, BATCH_CONCURRENCY, prepare);
    // undefined: a file whose binding met a server fault.
    const outcomes: Promise<BatchOutcome | undefined>[] = [];
    let fault: { error: unknown } | undefined;
    // Bindings are queued in file order: the writer takes seats in the order it was handed them.
    for (const preparing of prepared) {
      const result = await preparing;
      if ('fault' in result) fault ??= { error: result.fault };
      else if (result instanceof SeatlockError) outcomes.push(Promise.resolve(refusedOutcome(result)));
      else if ('bound' in result) outcomes.push(Promise.resolve(boundOutcome(result.bound)));
      else {
        const binding = this.bindPrepared(result.pending).then(boundOutcome, (error: unknown) => {
          if (error instanceof SeatlockError) return refusedOutcome(error);
          fault ??= { error };
          return undefined;
        });
        outcomes.push(binding);
      }
    }
    const answered = Promise.all(outcomes).then((all) => {
      // A server fault fails the whole answer; what was bound stays bound, and a retry answers it.
      if (fault) throw fault.error;
      return all as BatchOutcome[];
    });
    // A fault met before every seat was queued fails the batch before its answer begins (500).
    if (fault) await answered;
    return { outcomes: answered };
  }

  /**
   * The files of a batch past the rate limiter, in file order, as the files sent one by one would
   * pass it: the limiter is asked before each file; a code that opens no pool counts one failure
   * (once per batch, however many files repeat it: one guess); once the address is limited, every
   * later file is refused RATE_LIMITED unread, the right code included. Each file, or its refusal.
   */
  private async admitByLimiter(entries: (ActivationRequest | SeatlockError)[], client: string): Promise<(ActivationRequest | SeatlockError)[]> {
    const opensPool = new Map<string, boolean>();
    const wrongCodes = new Map<string, SeatlockError>();
    const admitted: (ActivationRequest | SeatlockError)[] = [];
    for (const entry of entries) {
      // A damaged file carries no code to guess with: it keeps its own refusal.
      if (entry instanceof SeatlockError) {
        admitted.push(entry);
        continue;
      }
      const limited = this.limiter.refusalFor(client);
      if (limited) {
        admitted.push(limited);
        continue;
      }
      const code = entry.activationCode;
      if (!opensPool.has(code)) opensPool.set(code, (await this.pools.findByActivationCode(code)) !== null);
      if (opensPool.get(code)) {
        admitted.push(entry);
        continue;
      }
      let refusal = wrongCodes.get(code);
      if (!refusal) {
        refusal = await this.limiter.fail(client, invalidCode()).catch((error: unknown) => {
          if (error instanceof SeatlockError) return error;
          throw error;
        });
        wrongCodes.set(code, refusal);
      }
      admitted.push(refusal);
    }
    return admitted;
  }

  /**
   * Everything before the seat: checks the code, platform, fingerprint and expiry, answers a
   * device already bound, and signs a new device's license.
   */
  private async prepareActivation(input: ActivationInput, client: string): Promise<PreparedActivation> {
    const fingerprint = parseFingerprint(input.fingerprint);
    const declared = declaredComponents(fingerprint, input.declared);
    const pool = await this.pools.findByActivationCode(input.activationCode);
    if (!pool) return this.limiter.fail(client, invalidCode());
    if (!isSupportedPlatform(input.platform)) {
      throw new SeatlockError('UNSUPPORTED_PLATFORM', `Platform "${input.platform}" is not supported; the catalog has ${PLATFORMS.map((p) => p.id).join(', ')}.`);
    }
    assertStrongFingerprint(fingerprint);
    const now = this.clock.now();
    if (pool.expiresAt && now.toISOString() >= pool.expiresAt) {
      throw new SeatlockError('TRIAL_EXPIRED', `This trial expired on ${pool.expiresAt}.`);
    }

    const { same, seats, compromised } = await this.db.read(async (manager) => {
      const same = await findSameDevice(this.db, manager, pool.id, fingerprint);
      return {
        same,
        seats: (await this.db.execute(manager, 'SELECT seats, seats_used, code_hash FROM pools WHERE id = ?', [pool.id])).rows[0],
        // A bound device's license is given again unless its key was declared compromised.
        compromised: same ? await this.keys.compromisedKids(manager) : new Set<string>(),
      };
    });
    // The code may have been changed since this instance cached it: the old one stops working at once.
    if (seats.code_hash !== pool.codeHash) {
      this.pools.forgetActivationCode(pool.codeHash);
      return this.limiter.fail(client, invalidCode());
    }
    const seatCounts = { seats: Number(seats.seats), seatsUsed: Number(seats.seats_used) };
    if (same) {
      if (same.status === 'revoked') throw new SeatlockError('DEVICE_REVOKED', 'This device was revoked; its license cannot be issued again.');
      return { bound: { created: false, deviceId: same.id, poolId: pool.id, license: await this.licenseFor(same, pool.customerId, compromised, now), ...seatCounts } };
    }
    // Not authoritative (the writer's conditional update is), but spares signing for a full pool.
    if (seatCounts.seatsUsed >= seatCounts.seats) {
      throw new SeatlockError('SEATS_EXHAUSTED', 'Every seat of this pool is bound to a device; a new device needs a seat from a purchase.');
    }

    // Time-ordered ids: each batch's new rows land on the last pages of their indexes instead of
    // dirtying pages all over them, which makes commits smaller.
    const deviceId = uuidv7();
    const licenseId = uuidv7();
    const licensed = toLicensedFingerprint(fingerprint);
    const iat = Math.floor(now.getTime() / 1000);
    const product = getProduct(pool.product);
    const claims: LicenseClaims = {
      v: 1,
      jti: licenseId,
      sub: deviceId,
      cus: pool.customerId,
      pool: pool.id,
      kind: pool.kind,
      product: product.id,
      features: [...product.features],
      modality: pool.modality as Modality | null,
      platform: input.platform,
      fp: licensed,
      declared,
      iat,
      nbf: iat,
      ...(pool.expiresAt ? { exp: Math.floor(new Date(pool.expiresAt).getTime() / 1000) } : {}),
    };
    const license = await this.signer.sign(claims);
    return {
      pending: { poolId: pool.id, customerId: pool.customerId, deviceId, licenseId, platform: input.platform, fingerprint, licensed, license, at: now.toISOString() },
    };
  }

  /**
   * A bound device's stored license; signed again under the active key, and stored, when the key
   * that signed it was declared compromised: the revocation list refuses every license of that
   * key, this genuine device's too.
   */
  private async licenseFor(device: BoundDevice, customerId: string, compromised: Set<string>, now: Date): Promise<string> {
    // Most installs never declare a key compromised: no license to parse then.
    if (compromised.size === 0) return device.license;
    const { header, claims } = parseLicense(device.license);
    if (!compromised.has(header.kid)) return device.license;
    const iat = Math.floor(now.getTime() / 1000);
    // The signer signs with the key this leaves active: a fresh one if the held one is compromised.
    await this.keys.issuerOutside(compromised);
    const license = await this.signer.sign({ ...claims, iat, nbf: iat });
    if (compromised.has(parseLicense(license).header.kid)) throw new Error('The issuing key in use is declared compromised and no newer key is loaded yet: try again shortly.');
    await this.db.write(async (manager) => {
      await this.db.execute(manager, 'UPDATE devices SET license = ? WHERE id = ?', [license, device.id]);
      await this.audit.append(manager, [
        { action: 'device.relicensed', actor: 'device', subject: `device:${device.id}`, customerId, data: { licenseId: claims.jti, compromisedKey: header.kid } },
      ]);
    });
    return license;
  }

  private async bindPrepared(pending: PendingBinding): Promise<ActivationResult> {
    const binding = await this.writer.bind(pending);
    return {
      created: binding.outcome === 'created',
      deviceId: binding.device.id,
      poolId: pending.poolId,
      license: binding.device.license,
      seats: binding.seats,
      seatsUsed: binding.seatsUsed,
    };
  }
}

/** How many files of a batch are checked and signed at once: enough to keep every signer busy. */
const BATCH_CONCURRENCY = 64;

/** A batch whose every seat is queued in file order; its outcomes once they are committed. */
export interface QueuedBatch {
  outcomes: Promise<BatchOutcome[]>;
}

/** One file's outcome in a batch answer. */
export interface BatchOutcome {
  outcome: 'created' | 'existing' | 'refused';
  deviceId?: string;
  license?: string;
  error?: { code: string; message: string };
}

/** A device already bound (its license again), or a signed license waiting for its seat. */
type PreparedActivation = { bound: ActivationResult } | { pending: PendingBinding };

function requestInput(request: ActivationRequest): ActivationInput {
  return { activationCode: request.activationCode, platform: request.platform, fingerprint: request.fingerprint, declared: request.declared };
}

// Each file of a batch counts in the activation metrics as one request would.
function boundOutcome(result: ActivationResult): BatchOutcome {
  countActivation(result.created ? 'created' : 'existing');
  return { outcome: result.created ? 'created' : 'existing', deviceId: result.deviceId, license: result.license };
}

function refusedOutcome(error: SeatlockError): BatchOutcome {
  countActivation('refused', error);
  return { outcome: 'refused', error: { code: error.code, message: error.message } };
}

/** Starts `run` (which must not reject) on the items, at most `limit` at a time, in order; one promise per item. */
function startBounded<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R>[] {
  const resolvers: ((value: R) => void)[] = [];
  const results = items.map(() => new Promise<R>((resolve) => resolvers.push(resolve)));
  let next = 0;
  const startNext = (): void => {
    if (next >= items.length) return;
    const i = next++;
    void run(items[i]).then((value) => {
      resolvers[i](value);
      startNext();
    });
  };
  for (let i = 0; i < Math.min(limit, items.length); i++) startNext();
  return results;
}
