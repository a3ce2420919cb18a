import { Inject, Injectable } from '@nestjs/common';
import { getProduct, resolveModality, REVIEW_BUSINESS_DAYS, SeatlockError, TRIAL_TERMS } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import { type FindOptionsWhere, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { addBusinessDays, addDays, CLOCK, type Clock } from '../clock/clock';
import type { Caller } from '../auth/principal';
import { decideApplication } from '../common/decide';
import { assertMayApprove } from '../common/four-eyes';
import { foundOrFail } from '../common/find-or-fail';
import { findPage, type Page } from '../common/paging';
import { type ApplicationDecisionResponse, type ApplicationResponse, applicationNames, mapApplication } from '../common/application.entity';
import { type ApplicationsQuery, applicationsWhere, decisionReason, rejectionReason } from '../common/review';
import { customerWithin, scopeWhere } from '../common/scope';
import { CustomersService } from '../customers/customers.service';
import { Database, isUniqueViolation } from '../database/database.service';
import { PoolsService } from '../pools/pools.service';
import { Trial } from './trial.entity';

export type TrialResponse = ApplicationResponse;

@Injectable()
export class TrialsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly customers: CustomersService,
    private readonly pools: PoolsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Records a trial application. A customer gets one trial per product: a submitted or approved
   * application blocks another, a rejected one does not. A customer (`scope`) applies for itself.
   */
  async submitTrial(input: { customerId?: string; product: string; modality?: string }, caller: Caller, scope?: string): Promise<TrialResponse> {
    const customerId = customerWithin(scope, input.customerId);
    if (customerId === undefined) throw new SeatlockError('INVALID_REQUEST', 'customerId is required.');
    const product = getProduct(input.product);
    const modality = resolveModality(product, input.modality);
    const now = this.clock.now();
    const alreadyUsed = () => new SeatlockError('TRIAL_ALREADY_USED', `This customer already applied for a ${product.id} trial; there is one per customer and product.`);
    try {
      return await this.db.write(async (manager) => {
        await this.customers.findCustomer(manager, customerId);
        if (await manager.existsBy(Trial, { customerId, product: product.id, status: Not('rejected') })) throw alreadyUsed();
        const row = manager.create(Trial, {
          id: randomUUID(),
          customerId,
          product: product.id,
          modality,
          status: 'submitted',
          submittedAt: now.toISOString(),
          submittedBy: caller.actor,
          submittedByPerson: caller.person,
          reviewDueAt: addBusinessDays(now, REVIEW_BUSINESS_DAYS).toISOString(),
          decidedAt: null,
          decisionReason: null,
          poolId: null,
        });
        await manager.insert(Trial, row);
        await this.audit.append(manager, [{ action: 'trial.submitted', actor: caller.actor, subject: `trial:${row.id}`, customerId, data: { customerId: row.customerId, product: row.product } }]);
        return mapApplication(row, now, await applicationNames(manager, [row]));
      });
    } catch (error) {
      // Two concurrent applications: the unique index on (customer, product) of unrejected trials decides.
      if (isUniqueViolation(error)) throw alreadyUsed();
      throw error;
    }
  }

  /** Approves a trial, not by its submitter: a pool of 3 seats that expires 60 days from now. */
  async approveTrial(id: string, reviewer: Caller, typedReason?: string): Promise<ApplicationDecisionResponse> {
    const reason = decisionReason(typedReason);
    const now = this.clock.now();
    return this.db.write(async (manager) => {
      const trial = foundOrFail(await manager.findOneBy(Trial, { id }), 'trial', id);
      assertMayApprove(trial, 'trial', reviewer, false);
      const pool = await this.pools.createPool(manager, {
        kind: 'trial',
        customerId: trial.customerId,
        product: trial.product,
        modality: trial.modality,
        seats: TRIAL_TERMS.maxDevices,
        expiresAt: addDays(now, TRIAL_TERMS.days).toISOString(),
        createdAt: now.toISOString(),
      });
      await decideApplication(manager, Trial, 'trial', id, { status: 'approved', decidedAt: now.toISOString(), decisionReason: reason ?? null, poolId: pool.id });
      await this.audit.append(manager, [{ action: 'trial.approved', actor: reviewer.actor, subject: `trial:${id}`, customerId: trial.customerId, data: { poolId: pool.id, expiresAt: pool.expiresAt, reason } }]);
      return { id, status: 'approved', pool };
    });
  }

  /** Rejects a trial with the reason its customer reads (required). */
  async rejectTrial(id: string, actor: string, typedReason: string | undefined): Promise<ApplicationDecisionResponse> {
    const reason = rejectionReason(typedReason);
    const now = this.clock.now().toISOString();
    return this.db.write(async (manager) => {
      await decideApplication(manager, Trial, 'trial', id, { status: 'rejected', decidedAt: now, decisionReason: reason });
      const { customerId } = await manager.findOneByOrFail(Trial, { id });
      await this.audit.append(manager, [{ action: 'trial.rejected', actor, subject: `trial:${id}`, customerId, data: { reason } }]);
      return { id, status: 'rejected' };
    });
  }

  async getTrial(id: string, scope?: string): Promise<TrialResponse> {
    const [row, names] = await this.db.read(async (m) => {
      const found = foundOrFail(await m.findOneBy(Trial, { id, ...scopeWhere(scope) }), 'trial', id);
      return [found, await applicationNames(m, [found])] as const;
    });
    return mapApplication(row, this.clock.now(), names);
  }

  async listTrials(query: ApplicationsQuery, scope?: string): Promise<Page<TrialResponse>> {
    const now = this.clock.now();
    const where = applicationsWhere(query, now, scope) as FindOptionsWhere<Trial>;
    const { rows, names, ...rest } = await this.db.read(async (m) => {
      const page = await findPage(m, Trial, query, { keys: ['submittedAt', 'id'], direction: 'ASC' }, (items) => items.where(where));
      return { ...page, names: await applicationNames(m, page.rows) };
    });
    return { items: rows.map((row) => mapApplication(row, now, names)), ...rest };
  }
}
