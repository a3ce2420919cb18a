import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, LIVE_REFRESH_MS, query } from '../api/client';
import type { PoolDtoPage } from '../api/schema';
import { Empty, ErrorNote, Loading } from '../components/feedback';
import { CustomerPicker, Named } from '../components/named';
import { Pager, usePage } from '../components/paging';
import { SeatBar } from '../components/seat-bar';
import { useT } from '../i18n';
import { nameOf } from '../i18n/names';
import { Link } from '../router';
import { isStaff, useMe } from '../session';

export function PoolsPage() {
  const t = useT();
  const me = useMe();
  const staff = me.data ? isStaff(me.data.role) : false;
  const paging = usePage();
  const [customerId, setCustomerId] = useState('');
  const pools = useQuery({
    queryKey: ['pools', customerId, paging.offset],
    queryFn: () => api<PoolDtoPage>('GET', `/v1/pools${query({ customerId, limit: paging.limit, offset: paging.offset })}`),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <Stack>
      <Title order={2}>{t('nav.pools')}</Title>
      {staff && <CustomerPicker value={customerId} onChange={setCustomerId} />}
      {pools.isPending ? (
        <Loading />
      ) : pools.error ? (
        <ErrorNote error={pools.error} />
      ) : pools.data.items.length === 0 ? (
        <Empty>
          {staff ? (
            t('pools.emptyStaff')
          ) : (
            <>
              {t('pools.emptyBefore')}
              <Link href="/catalog">{t('pools.emptyLink')}</Link>
              {t('pools.emptyAfter')}
            </>
          )}
        </Empty>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {pools.data.items.map((pool) => (
              <Card withBorder key={pool.id} data-testid="pool">
                <Stack gap="xs">
                  <Group justify="space-between" wrap="nowrap">
                    <Title order={3} size="h5">
                      <Link href={`/pools/${pool.id}`}>{nameOf(t, 'products', pool.product)}</Link>
                    </Title>
                    <Badge color={pool.kind === 'trial' ? 'grape' : 'blue'}>{nameOf(t, 'poolKinds', pool.kind)}</Badge>
                  </Group>
                  {pool.modality && <Text size="sm">{t('pools.modality', { modality: nameOf(t, 'modalities', pool.modality) })}</Text>}
                  {staff && (
                    <Text size="sm">
                      {t('pools.customer')}
                      <Named name={pool.customerName} id={pool.customerId} what="customer" />
                    </Text>
                  )}
                  <SeatBar pool={pool} />
                </Stack>
              </Card>
            ))}
          </SimpleGrid>
          <Pager page={paging.page} setPage={paging.setPage} total={pools.data.total} />
        </>
      )}
    </Stack>
  );
}
