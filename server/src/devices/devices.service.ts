import { Inject, Injectable } from '@nestjs/common';
import { type LicensedFingerprint, SeatlockError } from '@seatlock/shared';
import type { FindOptionsWhere } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { foundOrFail } from '../common/find-or-fail';
import { type Page, type PageQuery, pageOf } from '../common/paging';
import { customerWithin, scopeWhere } from '../common/scope';
import { Database } from '../database/database.service';
import { Device, type DeviceStatus } from './device.entity';

export interface DeviceResponse {
  id: string;
  poolId: string;
  customerId: string;
  platform: string;
  status: DeviceStatus;
  licenseId: string;
  license: string;
  /** Names of the fingerprint components the license is bound to (hashes stay in the license). */
  components: string[];
  activatedAt: string;
  revokedAt: string | null;
}

@Injectable()
export class DevicesService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async listDevices(filter: { poolId?: string; customerId?: string } & PageQuery, scope?: string): Promise<Page<DeviceResponse>> {
    const where: FindOptionsWhere<Device> = {};
    if (filter.poolId) where.poolId = filter.poolId;
    const customerId = customerWithin(scope, filter.customerId);
    if (customerId) where.customerId = customerId;
    const [rows, total] = await this.db.read((m) => m.findAndCount(Device, { where, order: { activatedAt: 'ASC', id: 'ASC' }, ...pageOf(filter) }));
    return { items: rows.map((row) => this.map(row)), total };
  }

  async getDevice(id: string, scope?: string): Promise<DeviceResponse> {
    return this.map(foundOrFail(await this.db.read((m) => m.findOneBy(Device, { id, ...scopeWhere(scope) })), 'device', id));
  }

  /** The device's license file, as the agent installs it; a revoked device's is not handed out. */
  async deviceLicense(id: string, scope?: string): Promise<string> {
    const device = foundOrFail(await this.db.read((m) => m.findOneBy(Device, { id, ...scopeWhere(scope) })), 'device', id);
    if (device.status === 'revoked') throw new SeatlockError('DEVICE_REVOKED', `Device ${id} was revoked; its license is not handed out.`);
    return device.license;
  }

  /** The license files of a pool's active devices, one after another in activation order (a bundle the agent reads its own from). */
  async poolLicenses(poolId: string): Promise<string> {
    const rows = await this.db.read((m) =>
      m.find(Device, { select: { license: true }, where: { poolId, status: 'active' }, order: { activatedAt: 'ASC', id: 'ASC' } }),
    );
    return rows.map((row) => row.license).join('');
  }

  /** Marks a device revoked: its seat stays consumed (no transfers) and it can never activate again. */
  async revokeDevice(id: string, actor: string, reason?: string): Promise<DeviceResponse> {
    const now = this.clock.now().toISOString();
    return this.db.write(async (manager) => {
      const device = foundOrFail(await manager.findOneBy(Device, { id }), 'device', id);
      if (device.status === 'revoked') return this.map(device);
      await manager.update(Device, { id }, { status: 'revoked', revokedAt: now });
      await this.audit.append(manager, [{ action: 'device.revoked', actor, subject: `device:${id}`, customerId: device.customerId, data: { poolId: device.poolId, reason } }]);
      return this.map({ ...device, status: 'revoked', revokedAt: now });
    });
  }

  map(row: Device): DeviceResponse {
    return {
      id: row.id,
      poolId: row.poolId,
      customerId: row.customerId,
      platform: row.platform,
      status: row.status,
      licenseId: row.licenseId,
      license: row.license,
      components: Object.keys((JSON.parse(row.fingerprint) as LicensedFingerprint).components),
      activatedAt: row.activatedAt,
      revokedAt: row.revokedAt,
    };
  }
}
