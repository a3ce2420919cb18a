import { Group, Pagination, Text } from '@mantine/core';
import { useState } from 'react';
import { formatCount } from '../format';
import { useT } from '../i18n';

export const PAGE_SIZE = 20;

/** The page a list shows; `limit`/`offset` go to the server, which pages every list. */
export function usePage() {
  const [page, setPage] = useState(1);
  return { page, setPage, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
}

/** Lists are asked for by offset, which always counts them; only a page reached by cursor has no total. */
export function Pager({ page, setPage, total }: { page: number; setPage: (page: number) => void; total: number | null }) {
  const t = useT();
  if (total === null) return null;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="gray.7">
        {t('pager.inAll', { total: formatCount(total) })}
      </Text>
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" getControlProps={(control) => ({ 'aria-label': t(`pager.${control}`) })} />}
    </Group>
  );
}
