import { ApiPropertyOptional } from '@nestjs/swagger';
import { SeatlockError } from '@seatlock/shared';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** The deepest offset: past it SQLite's and PostgreSQL's OFFSET overflow, and a cursor is the way. */
const MAX_OFFSET = 2 ** 31 - 1;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0, description: 'Rows to skip: slower the deeper it goes (the database reads every skipped row); prefer `cursor`' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;

  @ApiPropertyOptional({ description: "The previous page's `nextCursor`: the next page, as fast at any depth (not with `offset`)" })
  @IsOptional()
  @IsString()
  @Length(1, 400)
  @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Rows matching the filter; not counted (null) on a page reached by cursor, where counting would cost more than the page. */
  total: number | null;
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** A list's order: entity properties, the last one unique, with an index on them (after the filter's equality columns). */
export interface PageOrder<E> {
  keys: readonly (keyof E & string)[];
  direction: 'ASC' | 'DESC';
}

/** The alias of the listed entity in a `filter` callback's query. */
const PAGE_ROW = 'item';

/**
 * One page of `entity` rows in `order`, the filter applied by `filter` (conditions on `item.<column>`).
 * By cursor the page starts after the row the cursor names (keyset: one index seek whatever the
 * depth); by offset the database skips that many rows first. Every page offers the next one's cursor.
 */
export async function findPage<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  query: PageQuery,
  order: PageOrder<E>,
  filter: (items: SelectQueryBuilder<E>) => void = () => undefined,
  /** What `total` is when the list keeps a cheaper count than counting the matching rows. */
  count?: () => Promise<number>,
): Promise<{ rows: E[]; total: number | null; nextCursor: string | null }> {
  if (query.cursor !== undefined && query.offset !== undefined) throw new SeatlockError('INVALID_REQUEST', 'Give either cursor or offset, not both.');
  const limit = query.limit ?? 50;
  const metadata = manager.connection.getMetadata(entity);
  const filtered = manager.createQueryBuilder(entity, PAGE_ROW);
  const columns = order.keys.map((key) => `${filtered.escape(PAGE_ROW)}.${filtered.escape(metadata.findColumnWithPropertyName(key)!.databaseName)}`);
  filter(filtered);
  const total = query.cursor !== undefined ? null : count ? await count() : await filtered.clone().getCount();
  const page = filtered.clone();
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, order.keys.length);
    const params = Object.fromEntries(after.map((value, i) => [`cursor${i}`, value]));
    // A row-value comparison both databases answer with one index range, unlike the equivalent ORs.
    page.andWhere(`(${columns.join(', ')}) ${order.direction === 'ASC' ? '>' : '<'} (${after.map((_, i) => `:cursor${i}`).join(', ')})`, params);
  }
  columns.forEach((column, i) => (i === 0 ? page.orderBy(column, order.direction) : page.addOrderBy(column, order.direction)));
  const rows = await page.limit(limit + 1).offset(query.offset).getMany();
  const more = rows.length > limit;
  if (more) rows.length = limit;
  return { rows, total, nextCursor: more ? encodeCursor(order.keys.map((key) => rows[limit - 1][key])) : null };
}

/** The cursor of the page after the row whose order keys are `values`. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string, length: number): (string | number)[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || values.length !== length || !values.every((value) => typeof value === 'string' || typeof value === 'number')) {
    throw new SeatlockError('INVALID_REQUEST', 'The cursor is not one this list gave out.');
  }
  return values;
}

/** A list query's filters without its paging, for a route that walks every page itself (an export). */
export function filtersOf<Q extends PageQuery>(query: Q): Omit<Q, keyof PageQuery> {
  const { limit: _limit, offset: _offset, cursor: _cursor, ...filters } = query;
  return filters;
}
