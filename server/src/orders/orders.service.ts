import { Inject, Injectable } from '@nestjs/common';
import { CURRENCY, getProduct, type Quote, quote, resolveModality, REVIEW_BUSINESS_DAYS } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import type { FindOptionsWhere } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { addBusinessDays, CLOCK, type Clock } from '../clock/clock';
import type { Caller } from '../auth/principal';
import { decideApplication } from '../common/decide';
import { assertMayApprove, assertMayNegotiate } from '../common/four-eyes';
import { foundOrFail } from '../common/find-or-fail';
import { type Page, pageOf } from '../common/paging';
import { type ApplicationDecisionResponse, type ApplicationResponse, mapApplication } from '../common/application.entity';
import { type ApplicationsQuery, applicationsWhere } from '../common/review';
import { CustomersService } from '../customers/customers.service';
import { Database } from '../database/database.service';
import { PoolsService } from '../pools/pools.service';
import { Order } from './order.entity';

export interface SubmitOrder {
  customerId: string;
  product: string;
  quantity: number;
  modality?: string;
  unitPrice?: number;
}

/** An order: the application under review and the quote it was priced at. */
export interface OrderResponse extends ApplicationResponse, Omit<Quote, 'product'> {}

@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly customers: CustomersService,
    private readonly pools: PoolsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Prices and records a purchase application; it waits for review, due in 2 business days. Only an admin enters a negotiated price. */
  async submitOrder(input: SubmitOrder, caller: Caller): Promise<OrderResponse> {
    assertMayNegotiate(caller, input.unitPrice);
    const product = getProduct(input.product);
    const modality = resolveModality(product, input.modality);
    const priced = quote(product.id, input.quantity, input.unitPrice);
    const now = this.clock.now();
    return this.db.write(async (manager) => {
      await this.customers.findCustomer(manager, input.customerId);
      const row = manager.create(Order, {
        id: randomUUID(),
        customerId: input.customerId,
        product: product.id,
        modality,
        quantity: priced.quantity,
        tier: priced.tier,
        unitPrice: priced.unitPrice,
        total: priced.total,
        negotiated: priced.negotiated,
        status: 'submitted',
        submittedAt: now.toISOString(),
        submittedBy: caller.actor,
        reviewDueAt: addBusinessDays(now, REVIEW_BUSINESS_DAYS).toISOString(),
        decidedAt: null,
        poolId: null,
      });
      await manager.insert(Order, row);
      await this.audit.append(manager, [
        { action: 'order.submitted', actor: caller.actor, subject: `order:${row.id}`, data: { customerId: row.customerId, product: row.product, quantity: row.quantity, total: row.total } },
      ]);
      return this.map(row, now);
    });
  }

  /**
   * Approves a submitted order: a perpetual pool of `quantity` seats with a fresh activation
   * code, shown in this answer only. Not by its submitter; a negotiated order only by an admin.
   */
  async approveOrder(id: string, reviewer: Caller, reason?: string): Promise<ApplicationDecisionResponse> {
    const now = this.clock.now().toISOString();
    return this.db.write(async (manager) => {
      const order = foundOrFail(await manager.findOneBy(Order, { id }), 'order', id);
      assertMayApprove(order, 'order', reviewer, order.negotiated);
      const pool = await this.pools.createPool(manager, {
        kind: 'perpetual',
        customerId: order.customerId,
        product: order.product,
        modality: order.modality,
        seats: order.quantity,
        expiresAt: null,
        createdAt: now,
      });
      await decideApplication(manager, Order, 'order', id, { status: 'approved', decidedAt: now, poolId: pool.id });
      await this.audit.append(manager, [{ action: 'order.approved', actor: reviewer.actor, subject: `order:${id}`, data: { poolId: pool.id, seats: pool.seats, reason } }]);
      return { id, status: 'approved', pool };
    });
  }

  async rejectOrder(id: string, actor: string, reason?: string): Promise<ApplicationDecisionResponse> {
    const now = this.clock.now().toISOString();
    return this.db.write(async (manager) => {
      await decideApplication(manager, Order, 'order', id, { status: 'rejected', decidedAt: now });
      await this.audit.append(manager, [{ action: 'order.rejected', actor, subject: `order:${id}`, data: { reason } }]);
      return { id, status: 'rejected' };
    });
  }

  async getOrder(id: string): Promise<OrderResponse> {
    const row = await this.db.read((m) => m.findOneBy(Order, { id }));
    return this.map(foundOrFail(row, 'order', id), this.clock.now());
  }

  async listOrders(query: ApplicationsQuery): Promise<Page<OrderResponse>> {
    const now = this.clock.now();
    const where = applicationsWhere(query, now) as FindOptionsWhere<Order>;
    const [rows, total] = await this.db.read((m) => m.findAndCount(Order, { where, order: { submittedAt: 'ASC', id: 'ASC' }, ...pageOf(query) }));
    return { items: rows.map((row) => this.map(row, now)), total };
  }

  private map(row: Order, now: Date): OrderResponse {
    const { quantity, tier, unitPrice, total, negotiated } = row;
    return { ...mapApplication(row, now), quantity, tier, unitPrice, total, currency: CURRENCY, negotiated };
  }
}
