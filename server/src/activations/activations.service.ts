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
  SeatlockError,
  toLicensedFingerprint,
} from '@seatlock/shared';
import { v7 as uuidv7 } from 'uuid';
import { FailureRateLimiter } from '../auth/rate-limiter';
import { CLOCK, type Clock } from '../clock/clock';
import { Database } from '../database/database.service';
import { findSameDevice } from '../devices/device-identity';
import { PoolsService } from '../pools/pools.service';
import { countActivation } from '../metrics/metrics';
import { LicenseSigner } from '../signing/license-signer';
import { ActivationWriter } from './activation-writer';

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
    return this.counted(() => {
      const request = readActivationRequest(requestText);
      return this.activate({ activationCode: request.activationCode, platform: request.platform, fingerprint: request.fingerprint, declared: request.declared }, client);
    });
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

    const { same, seats } = await this.db.read(async (manager) => ({
      same: await findSameDevice(this.db, manager, pool.id, fingerprint),
      seats: (await this.db.execute(manager, 'SELECT seats, seats_used, code_hash FROM pools WHERE id = ?', [pool.id])).rows[0],
    }));
    // The code may have been changed since this instance cached it: the old one stops working at once.
    if (seats.code_hash !== pool.codeHash) {
      this.pools.forgetActivationCode(pool.codeHash);
      return this.limiter.fail(client, invalidCode());
    }
    const seatCounts = { seats: Number(seats.seats), seatsUsed: Number(seats.seats_used) };
    if (same) {
      if (same.status === 'revoked') throw new SeatlockError('DEVICE_REVOKED', 'This device was revoked; its license cannot be issued again.');
      return { created: false, deviceId: same.id, poolId: pool.id, license: same.license, ...seatCounts };
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
    const binding = await this.writer.bind({
      poolId: pool.id,
      customerId: pool.customerId,
      deviceId,
      licenseId,
      platform: input.platform,
      fingerprint,
      licensed,
      license,
      at: now.toISOString(),
    });
    return {
      created: binding.outcome === 'created',
      deviceId: binding.device.id,
      poolId: pool.id,
      license: binding.device.license,
      seats: binding.seats,
      seatsUsed: binding.seatsUsed,
    };
  }
}
