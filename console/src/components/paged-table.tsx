import { Table } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Key, ReactNode } from 'react';
import { Empty, ErrorNote, Loading } from './feedback';
import { Pager, type usePage } from './paging';

/** Phones: where small-screens.css hides secondary columns. */
export const PHONE = '(max-width: 36em)';

/**
 * A list the server pages, as the pages show one: loading, the server's error, what to do next
 * when it is empty, or a table of `columns` (one row of `cells` per item) with the pager under it.
 */
export function PagedTable<T>({
  list,
  paging,
  empty,
  columns,
  secondary = [],
  minWidth,
  cells,
  rowKey = (item) => (item as { id: string }).id,
}: {
  list: UseQueryResult<{ items: T[]; total: number | null }>;
  paging: ReturnType<typeof usePage>;
  empty: ReactNode;
  columns: string[];
  /** Columns that give way on a phone; their cells carry `data-secondary` too (small-screens.css). */
  secondary?: string[];
  /** The table's least width on wider screens; on a phone the key columns fit the screen instead. */
  minWidth: number;
  cells: (item: T) => ReactNode;
  /** What tells rows apart: `id` unless given. */
  rowKey?: (item: T) => Key;
}) {
  const phone = useMediaQuery(PHONE);
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorNote error={list.error} />;
  if (list.data.items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      <Table.ScrollContainer minWidth={phone ? 0 : minWidth} type="native" tabIndex={0}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column} data-secondary={secondary.includes(column) || undefined}>
                  {column}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((item) => (
              <Table.Tr key={rowKey(item)}>{cells(item)}</Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager page={paging.page} setPage={paging.setPage} total={list.data.total} />
    </>
  );
}
