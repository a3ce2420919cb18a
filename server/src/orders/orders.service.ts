import { Inject, Injectable } from '@nestjs/common';
import { CURRENCY, FEN_PER_YUAN, getProduct, isSeatlockError, type Quote, quote, resolveModality, REVIEW_BUSINESS_DAYS, SeatlockError } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import { type EntityManager, type FindOptionsWhere, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { addBusinessDays, CLOCK, type Clock } from '../clock/clock';
import type { Caller } from '../auth/principal';
import { decideApplication } from '../common/decide';
import { assertMayApprove, assertMayNegotiate, assertNotPricer } from '../common/four-eyes';
import { foundOrFail } from '../common/find-or-fail';
import { findPage, type Page } from '../common/paging';
import { type ApplicationDecisionResponse, type ApplicationResponse, applicationNames, mapApplication } from '../common/application.entity';
import type { Names } from '../common/names';
import { type ApplicationsQuery, applicationsWhere, decisionReason, rejectionReason } from '../common/review';
import { customerWithin, scopeWhere } from '../common/scope';
import { CustomersService } from '../customers/customers.service';
import { Database } from '../database/database.service';
import { PoolsService } from '../pools/pools.service';
import { Order } from './order.entity';

export interface SubmitOrder {
  /** Staff name the customer; a customer principal applies for its own. */
  customerId?: string;
  product: string;
  quantity: number;
  modality?: string;
  /** A negotiated unit price in fen (admins only). */
  unitPriceFen?: number;
}

/**
 * An order: the application under review and the quote it was priced at. The amounts are null
 * while an order above the list-price limit waits for its negotiated price.
 */
export interface OrderResponse extends ApplicationResponse, Omit<Quote, 'product' | 'unitPrice' | 'total' | 'unitPriceFen' | 'totalFen'> {
  unitPriceFen: number | null;
  totalFen: number | null;
  unitPrice: number | null;
  total: number | null;
}

export interface OrderDecision {
  reason?: string;
  /** The negotiated unit price in fen of an order submitted without one (admins only). */
  unitPriceFen?: number;
}

@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly customers: CustomersService,
    private readonly pools: PoolsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Prices and records a purchase application; it waits for review, due in 2 business days. Only
   * an admin enters a negotiated price. A customer (`scope`) applies for itself: above the
   * list-price limit its order is recorded without a price, which an admin enters on approval.
   */
  async submitOrder(input: SubmitOrder, caller: Caller, scope?: string): Promise<OrderResponse> {
    assertMayNegotiate(caller, input.unitPriceFen);
    const customerId = customerWithin(scope, input.customerId);
    if (customerId === undefined) throw new SeatlockError('INVALID_REQUEST', 'customerId is required.');
    const product = getProduct(input.product);
    const modality = resolveModality(product, input.modality);
    const priced = this.priceSubmission(product.id, input.quantity, input.unitPriceFen, scope !== undefined);
    const now = this.clock.now();
    return this.db.write(async (manager) => {
      await this.customers.findCustomer(manager, customerId);
      const row = manager.create(Order, {
        id: randomUUID(),
        customerId,
        product: product.id,
        modality,
        quantity: input.quantity,
        tier: priced?.tier ?? product.tiers.length,
        unitPriceFen: priced?.unitPriceFen ?? null,
        totalFen: priced?.totalFen ?? null,
        negotiated: priced?.negotiated ?? true,
        status: 'submitted',
        submittedAt: now.toISOString(),
        submittedBy: caller.actor,
        submittedByPerson: caller.person,
        pricedBy: input.unitPriceFen === undefined ? null : caller.person,
        reviewDueAt: addBusinessDays(now, REVIEW_BUSINESS_DAYS).toISOString(),
        decidedAt: null,
        decisionReason: null,
        poolId: null,
      });
      await manager.insert(Order, row);
      await this.audit.append(manager, [
        { action: 'order.submitted', actor: caller.actor, subject: `order:${row.id}`, customerId, data: { customerId: row.customerId, product: row.product, quantity: row.quantity, totalFen: row.totalFen } },
      ]);
      return this.map(row, now, await applicationNames(manager, [row]));
    });
  }

  /**
   * Approves a submitted order: a perpetual pool of `quantity` seats with a fresh activation
   * code, shown in this answer only. Not by its submitter; a negotiated order only by an admin
   * who did not enter its price either. With `unitPrice`, an admin enters the negotiated price of
   * an order submitted without one, and that is all: the order stays submitted for another admin.
   */
  async approveOrder(id: string, reviewer: Caller, decision: OrderDecision = {}): Promise<ApplicationDecisionResponse> {
    const now = this.clock.now().toISOString();
    assertMayNegotiate(reviewer, decision.unitPriceFen);
    const reason = decisionReason(decision.reason);
    return this.db.write(async (manager) => {
      const order = foundOrFail(await manager.findOneBy(Order, { id }), 'order', id);
      assertMayApprove(order, 'order', reviewer, order.negotiated);
      if (decision.unitPriceFen !== undefined) return this.priceOrder(manager, order, reviewer, decision.unitPriceFen, reason);
      if (order.unitPriceFen === null && order.status === 'submitted') {
        throw new SeatlockError('NEGOTIATED_PRICE_REQUIRED', 'This order was submitted without a price: an admin enters its negotiated unitPriceFen first, and another admin approves it.');
      }
      assertNotPricer(order.pricedBy, reviewer);
      const pool = await this.pools.createPool(manager, {
        kind: 'perpetual',
        customerId: order.customerId,
        product: order.product,
        modality: order.modality,
        seats: order.quantity,
        expiresAt: null,
        createdAt: now,
      });
      await decideApplication(manager, Order, 'order', id, { status: 'approved', decidedAt: now, decisionReason: reason ?? null, poolId: pool.id });
      await this.audit.append(manager, [{ action: 'order.approved', actor: reviewer.actor, subject: `order:${id}`, customerId: order.customerId, data: { poolId: pool.id, seats: pool.seats, reason } }]);
      return { id, status: 'approved', pool };
    });
  }

  /** Records the negotiated price of an order submitted without one; it stays submitted. */
  private async priceOrder(manager: EntityManager, order: Order, pricer: Caller, unitPriceFen: number, reason: string | undefined): Promise<ApplicationDecisionResponse> {
    const { id } = order;
    const priced = quote(order.product, order.quantity, unitPriceFen);
    const result = await manager.update(Order, { id, status: 'submitted', unitPriceFen: IsNull() }, { unitPriceFen: priced.unitPriceFen, totalFen: priced.totalFen, tier: priced.tier, pricedBy: pricer.person });
    if (!result.affected) {
      if (order.status !== 'submitted') throw new SeatlockError('NOT_SUBMITTED', `The order was already ${order.status}; only a submitted order can be reviewed.`);
      throw new SeatlockError('INVALID_REQUEST', 'This order has its price already; a unit price is entered only for an order submitted without one.');
    }
    await this.audit.append(manager, [
      { action: 'order.priced', actor: pricer.actor, subject: `order:${id}`, customerId: order.customerId, data: { unitPriceFen: priced.unitPriceFen, totalFen: priced.totalFen, tier: priced.tier, reason } },
    ]);
    return { id, status: 'submitted' };
  }

  /** Rejects an order with the reason its customer reads (required). */
  async rejectOrder(id: string, actor: string, typedReason: string | undefined): Promise<ApplicationDecisionResponse> {
    const reason = rejectionReason(typedReason);
    const now = this.clock.now().toISOString();
    return this.db.write(async (manager) => {
      await decideApplication(manager, Order, 'order', id, { status: 'rejected', decidedAt: now, decisionReason: reason });
      const { customerId } = await manager.findOneByOrFail(Order, { id });
      await this.audit.append(manager, [{ action: 'order.rejected', actor, subject: `order:${id}`, customerId, data: { reason } }]);
      return { id, status: 'rejected' };
    });
  }

  async getOrder(id: string, scope?: string): Promise<OrderResponse> {
    const [row, names] = await this.db.read(async (m) => {
      const found = foundOrFail(await m.findOneBy(Order, { id, ...scopeWhere(scope) }), 'order', id);
      return [found, await applicationNames(m, [found])] as const;
    });
    return this.map(row, this.clock.now(), names);
  }

  async listOrders(query: ApplicationsQuery, scope?: string): Promise<Page<OrderResponse>> {
    const now = this.clock.now();
    const where = applicationsWhere(query, now, scope) as FindOptionsWhere<Order>;
    const { rows, names, ...rest } = await this.db.read(async (m) => {
      const page = await findPage(m, Order, query, { keys: ['submittedAt', 'id'], direction: 'ASC' }, (items) => items.where(where));
      return { ...page, names: await applicationNames(m, page.rows) };
    });
    return { items: rows.map((row) => this.map(row, now, names)), ...rest };
  }

  /** The quote of a submission; null for a customer's order above the list-price limit, priced on review. */
  private priceSubmission(product: string, quantity: number, unitPriceFen: number | undefined, byCustomer: boolean): Quote | null {
    try {
      return quote(product, quantity, unitPriceFen);
    } catch (error) {
      if (byCustomer && isSeatlockError(error, 'NEGOTIATED_PRICE_REQUIRED')) return null;
      throw error;
    }
  }

  private map(row: Order, now: Date, names: Names): OrderResponse {
    const { quantity, tier, unitPriceFen, totalFen, negotiated } = row;
    const yuan = (fen: number | null) => (fen === null ? null : fen / FEN_PER_YUAN);
    return { ...mapApplication(row, now, names), quantity, tier, unitPriceFen, totalFen, unitPrice: yuan(unitPriceFen), total: yuan(totalFen), currency: CURRENCY, negotiated };
  }
}
