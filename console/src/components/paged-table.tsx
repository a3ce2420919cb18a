import { Table } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { Key, ReactNode } from 'react';
import { Empty, ErrorNote, Loading } from './feedback';
import { Pager, type usePage } from './paging';

/**
 * A list the server pages, as the pages show one: loading, the server's error, what to do next
 * when it is empty, or a table of `columns` (one row of `cells` per item) with the pager under it.
 */
export function PagedTable<T>({
  list,
  paging,
  empty,
  columns,
  minWidth,
  cells,
  rowKey = (item) => (item as { id: string }).id,
}: {
  list: UseQueryResult<{ items: T[]; total: number | null }>;
  paging: ReturnType<typeof usePage>;
  empty: ReactNode;
  columns: string[];
  minWidth: number;
  cells: (item: T) => ReactNode;
  /** What tells rows apart: `id` unless given. */
  rowKey?: (item: T) => Key;
}) {
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorNote error={list.error} />;
  if (list.data.items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column}>{column}</Table.Th>
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
