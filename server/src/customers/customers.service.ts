import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { foundOrFail } from '../common/find-or-fail';
import { findPage, type Page, type PageQuery } from '../common/paging';
import { customerWithin } from '../common/scope';
import { Database } from '../database/database.service';
import { Customer } from './customer.entity';
import { humanText } from '@seatlock/shared';

export interface CustomerResponse {
  id: string;
  name: string;
  createdAt: string;
}

@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createCustomer(typedName: string, actor: string): Promise<CustomerResponse> {
    const name = humanText(typedName, 'name', 200);
    return this.db.write(async (manager) => {
      const row = manager.create(Customer, { id: randomUUID(), name, createdAt: this.clock.now().toISOString() });
      await manager.insert(Customer, row);
      await this.audit.append(manager, [{ action: 'customer.created', actor, subject: `customer:${row.id}`, customerId: row.id, data: { name } }]);
      return this.map(row);
    });
  }

  async getCustomer(id: string, scope?: string): Promise<CustomerResponse> {
    customerWithin(scope, id);
    return this.map(await this.db.read((m) => this.findCustomer(m, id)));
  }

  /** Customers in creation order; `search` keeps those whose name contains it, in any case. */
  async listCustomers(query: PageQuery & { search?: string }, scope?: string): Promise<Page<CustomerResponse>> {
    const where = scope === undefined ? {} : { id: scope };
    const filter = (items: SelectQueryBuilder<Customer>) => {
      items.where(where);
      if (query.search) items.andWhere("LOWER(item.name) LIKE :pattern ESCAPE '\\'", { pattern: `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    };
    const { rows, ...rest } = await this.db.read((m) => findPage(m, Customer, query, { keys: ['createdAt', 'id'], direction: 'ASC' }, filter));
    return { items: rows.map((row) => this.map(row)), ...rest };
  }

  /** The customer, or NOT_FOUND: orders and trials name an existing customer. */
  async findCustomer(manager: EntityManager, id: string): Promise<Customer> {
    return foundOrFail(await manager.findOneBy(Customer, { id }), 'customer', id);
  }

  private map(row: Customer): CustomerResponse {
    return { id: row.id, name: row.name, createdAt: row.createdAt };
  }
}
