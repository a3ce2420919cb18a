import { lookUpNames, type Names } from '../common/names';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { foundOrFail } from '../common/find-or-fail';
import { findPage, type Page, type PageQuery } from '../common/paging';
import { customerWithin, scopeWhere } from '../common/scope';
import { hashSecret, newSecret } from '../common/secrets';
import { Database } from '../database/database.service';
import { Pool, type PoolKind } from './pool.entity';

export interface PoolResponse {
  id: string;
  kind: PoolKind;
  customerId: string;
  customerName: string | null;
  product: string;
  modality: string | null;
  seats: number;
  seatsUsed: number;
  expiresAt: string | null;
  createdAt: string;
}

/** A new pool's answer: the only place its activation code ever appears. */
export type CreatedPoolResponse = PoolResponse & { activationCode: string };

export interface NewPool {
  kind: PoolKind;
  customerId: string;
  product: string;
  modality: string | null;
  seats: number;
  expiresAt: string | null;
  createdAt: string;
}

/**
 * What activation needs of a pool that never changes after creation, and the code hash it was
 * found by; seat counts and the current code hash always come from the database.
 */
export type PoolTerms = Omit<Pool, 'seats' | 'seatsUsed'>;

const CODE_CACHE_MS = 30_000;

@Injectable()
export class PoolsService {
  private readonly byCode = new Map<string, { terms: PoolTerms; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  /** Creates a pool inside the caller's transaction (an approval) with a fresh activation code. */
  async createPool(manager: EntityManager, fields: NewPool): Promise<CreatedPoolResponse> {
    const activationCode = newSecret('slac');
    const row = manager.create(Pool, { id: randomUUID(), ...fields, seatsUsed: 0, codeHash: hashSecret(activationCode) });
    await manager.insert(Pool, row);
    return { ...this.map(row, await lookUpNames(manager, { customerIds: [row.customerId] })), activationCode };
  }

  async getPool(id: string, scope?: string): Promise<PoolResponse> {
    const [row, names] = await this.db.read(async (m) => {
      const found = foundOrFail(await m.findOneBy(Pool, { id, ...scopeWhere(scope) }), 'pool', id);
      return [found, await lookUpNames(m, { customerIds: [found.customerId] })] as const;
    });
    return this.map(row, names);
  }

  async listPools(filter: { customerId?: string } & PageQuery, scope?: string): Promise<Page<PoolResponse>> {
    const customerId = customerWithin(scope, filter.customerId);
    const where = customerId ? { customerId } : {};
    const { rows, names, ...rest } = await this.db.read(async (m) => {
      const page = await findPage(m, Pool, filter, { keys: ['createdAt', 'id'], direction: 'ASC' }, (items) => items.where(where));
      return { ...page, names: await lookUpNames(m, { customerIds: page.rows.map((row) => row.customerId) }) };
    });
    return { items: rows.map((row) => this.map(row, names)), ...rest };
  }

  /**
   * Gives the pool a new activation code, shown in this answer only; the old one stops working at
   * once on every instance (activation compares the stored hash). Devices already bound keep
   * their licenses and re-activate with the new code. A customer (`scope`) changes its own pools' only.
   */
  async changeActivationCode(id: string, actor: string, scope?: string): Promise<{ activationCode: string }> {
    const activationCode = newSecret('slac');
    await this.db.write(async (manager) => {
      const { customerId } = foundOrFail(await manager.findOneBy(Pool, { id, ...scopeWhere(scope) }), 'pool', id);
      await this.db.execute(manager, 'UPDATE pools SET code_hash = ? WHERE id = ?', [hashSecret(activationCode), id]);
      await this.audit.append(manager, [{ action: 'pool.activation-code-changed', actor, subject: `pool:${id}`, customerId, data: {} }]);
    });
    for (const [codeHash, cached] of this.byCode) if (cached.terms.id === id) this.byCode.delete(codeHash);
    return { activationCode };
  }

  /** Drops a cached code that no longer opens its pool. */
  forgetActivationCode(codeHash: string): void {
    this.byCode.delete(codeHash);
  }

  /** The pool an activation code opens, or null. */
  async findByActivationCode(code: string): Promise<PoolTerms | null> {
    const codeHash = hashSecret(code);
    const now = Date.now();
    const cached = this.byCode.get(codeHash);
    if (cached && cached.until > now) return cached.terms;
    const row = await this.db.read((m) => m.findOneBy(Pool, { codeHash }));
    if (!row) return null;
    const { seats: _seats, seatsUsed: _used, ...terms } = row;
    if (this.byCode.size > 10_000) this.byCode.clear();
    this.byCode.set(codeHash, { terms, until: now + CODE_CACHE_MS });
    return terms;
  }

  private map(row: Pool, names: Names): PoolResponse {
    return {
      id: row.id,
      kind: row.kind,
      customerId: row.customerId,
      customerName: names.customers.get(row.customerId) ?? null,
      product: row.product,
      modality: row.modality,
      seats: row.seats,
      seatsUsed: row.seatsUsed,
      expiresAt: row.expiresAt,
      createdAt: row.createdAt,
    };
  }
}
