import { Inject, Injectable } from '@nestjs/common';
import { buildFingerprint, componentSpec, declaredComponent, hardwareLabel, type LicensedFingerprint, SeatlockError } from '@seatlock/shared';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { foundOrFail } from '../common/find-or-fail';
import { decisionReason } from '../common/review';
import { findPage, type Page, type PageQuery } from '../common/paging';
import { customerWithin, scopeWhere } from '../common/scope';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/database.service';
import { Device, type DeviceStatus } from './device.entity';

/** A device as lists show it: everything but its license text. */
export interface DeviceSummary {
  id: string;
  poolId: string;
  customerId: string;
  platform: string;
  /** A short label for screens: a strong component and the start of its hash (never a raw serial). */
  hardwareLabel: string;
  status: DeviceStatus;
  licenseId: string;
  /** Names of the fingerprint components the license is bound to (hashes stay in the license). */
  components: string[];
  activatedAt: string;
  revokedAt: string | null;
}

export interface DeviceResponse extends DeviceSummary {
  license: string;
}

/** The columns a list reads: not the license text, which is most of a row's bytes (its overflow pages on SQLite, TOAST on PostgreSQL). */
const SUMMARY_COLUMNS = ['id', 'poolId', 'customerId', 'platform', 'status', 'licenseId', 'fingerprint', 'activatedAt', 'revokedAt'].map((column) => `item.${column}`);

export interface DeviceFilter {
  /** The first characters of device ids (at least 4), as support reads them off a screen or a log. */
  idPrefix?: string;
  poolId?: string;
  customerId?: string;
  status?: DeviceStatus;
  /** Activated at or after (ISO 8601). */
  activatedFrom?: string;
  /** Activated before (ISO 8601). */
  activatedBefore?: string;
}

export interface DeviceSearch {
  deviceId?: string;
  licenseId?: string;
  /** A strong component's name, e.g. `emmc.cid`. */
  component?: string;
  /** Its raw value as read off the board (never stored nor logged). */
  value?: string;
}

/** One hardware value names one device, unless the same board was licensed in several pools. */
const SEARCH_LIMIT = 100;

/**
 * The stored hash of a strong component's raw value: the agent's own normalization, placeholder
 * rule and keyed hash (`buildFingerprint`). Only strong components are stored per device.
 */
function componentHash(component: string, value: string): string {
  const spec = componentSpec(component);
  if (spec && !spec.strong) throw new SeatlockError('INVALID_REQUEST', `${component} is not tied to the hardware, so devices are not indexed by it; use a strong component.`);
  const hashed = buildFingerprint([{ name: component, value, spec: spec ?? declaredComponent(1, true) }]).components[component];
  if (!hashed) throw new SeatlockError('INVALID_REQUEST', `That ${component} value is empty or a placeholder, which no device is bound by.`);
  return hashed.h;
}

@Injectable()
export class DevicesService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Devices in activation order; every filter is served by an index (see the keyset-paging migration). */
  async listDevices(filter: DeviceFilter & PageQuery, scope?: string): Promise<Page<DeviceSummary>> {
    const customerId = customerWithin(scope, filter.customerId);
    const byPoolsOnly = !filter.idPrefix && !filter.status && !filter.activatedFrom && !filter.activatedBefore;
    const { rows, ...rest } = await this.db.read((m) =>
      findPage(
        m,
        Device,
        filter,
        { keys: ['activatedAt', 'id'], direction: 'ASC' },
        (items) => this.filterDevices(items.select(SUMMARY_COLUMNS), filter, customerId),
        byPoolsOnly ? () => this.devicesInPools(m, filter.poolId, customerId) : undefined,
      ),
    );
    return { items: rows.map((row) => this.summary(row)), ...rest };
  }

  private filterDevices(items: SelectQueryBuilder<Device>, filter: DeviceFilter, customerId: string | undefined): void {
    items.where('1 = 1');
    // The controller allows only [0-9a-f-], so the prefix holds no LIKE wildcard.
    if (filter.idPrefix) items.andWhere('item.id LIKE :idPattern', { idPattern: `${filter.idPrefix.toLowerCase()}%` });
    if (filter.poolId) items.andWhere('item.pool_id = :poolId', { poolId: filter.poolId });
    if (customerId) items.andWhere('item.customer_id = :customerId', { customerId });
    // A literal, not a parameter: SQLite uses the partial index of revoked devices only for a condition it can see.
    if (filter.status) items.andWhere(`item.status = '${filter.status === 'revoked' ? 'revoked' : 'active'}'`);
    if (filter.activatedFrom) items.andWhere('item.activated_at >= :activatedFrom', { activatedFrom: filter.activatedFrom });
    if (filter.activatedBefore) items.andWhere('item.activated_at < :activatedBefore', { activatedBefore: filter.activatedBefore });
  }

  /**
   * How many devices the pools hold: a device keeps its pool's seat forever, revoked or not, so
   * the seats used are the count, read from one row per pool instead of one per device.
   */
  private async devicesInPools(manager: EntityManager, poolId?: string, customerId?: string): Promise<number> {
    const conditions = [...(poolId ? ['id = ?'] : []), ...(customerId ? ['customer_id = ?'] : [])];
    const sql = `SELECT COALESCE(SUM(seats_used), 0) AS devices FROM pools${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
    const { rows } = await this.db.execute(manager, sql, [...(poolId ? [poolId] : []), ...(customerId ? [customerId] : [])]);
    return Number(rows[0].devices);
  }

  /**
   * The devices a support request names: by device id, license id, or a hardware value read off
   * the board (a strong component's raw value, hashed here by the agent's own rule and looked up
   * among the stored component hashes). A customer (`scope`) finds its own devices only; nothing
   * found is NOT_FOUND.
   */
  async findDevices(by: DeviceSearch, scope?: string): Promise<DeviceResponse[]> {
    // A field sent as null is a field not sent.
    const given = [by.deviceId, by.licenseId, by.value].filter((value) => value != null).length;
    if (given !== 1) throw new SeatlockError('INVALID_REQUEST', 'Search by exactly one of deviceId, licenseId, or component and value.');
    if ((by.value == null) !== (by.component == null)) throw new SeatlockError('INVALID_REQUEST', 'A hardware value needs the component it was read from, and the reverse.');
    const rows = await this.db.read(async (manager) => {
      if (by.deviceId != null) return manager.findBy(Device, { id: by.deviceId.toLowerCase(), ...scopeWhere(scope) });
      if (by.licenseId != null) return manager.findBy(Device, { licenseId: by.licenseId, ...scopeWhere(scope) });
      const hash = componentHash(by.component!, by.value!);
      const query = manager
        .createQueryBuilder(Device, 'device')
        .where('device.id IN (SELECT c.device_id FROM device_components c WHERE c.hash = :hash AND c.component = :component)', { hash, component: by.component })
        .limit(SEARCH_LIMIT);
      if (scope !== undefined) query.andWhere('device.customer_id = :scope', { scope });
      return query.getMany();
    });
    // Like a device id that does not exist, another customer's device is not found.
    if (rows.length === 0) throw new SeatlockError('NOT_FOUND', 'No device matches that search.');
    // Sorted here: the few rows found, rather than asking the database to sort them.
    return rows.sort((a, b) => a.activatedAt.localeCompare(b.activatedAt) || a.id.localeCompare(b.id)).map((row) => this.map(row));
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
  async revokeDevice(id: string, actor: string, typedReason?: string): Promise<DeviceResponse> {
    const reason = decisionReason(typedReason);
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
    return { ...this.summary(row), license: row.license };
  }

  private summary(row: Omit<Device, 'license'>): DeviceSummary {
    const fingerprint = JSON.parse(row.fingerprint) as LicensedFingerprint;
    return {
      id: row.id,
      poolId: row.poolId,
      customerId: row.customerId,
      platform: row.platform,
      hardwareLabel: hardwareLabel(fingerprint),
      status: row.status,
      licenseId: row.licenseId,
      components: Object.keys(fingerprint.components),
      activatedAt: row.activatedAt,
      revokedAt: row.revokedAt,
    };
  }
}
