import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, LIVE_REFRESH_MS, query } from '../api/client';
import type { PoolDtoPage } from '../api/schema';
import { Empty, ErrorNote, Loading } from '../components/feedback';
import { CustomerPicker, Named } from '../components/named';
import { Pager, usePage } from '../components/paging';
import { SeatBar } from '../components/seat-bar';
import { Link } from '../router';
import { isStaff, useMe } from '../session';

export function PoolsPage() {
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
      <Title order={2}>Pools</Title>
      {staff && <CustomerPicker value={customerId} onChange={setCustomerId} />}
      {pools.isPending ? (
        <Loading />
      ) : pools.error ? (
        <ErrorNote error={pools.error} />
      ) : pools.data.items.length === 0 ? (
        <Empty>{staff ? 'No pools: a pool is made when an order or a trial is approved.' : <>No pools yet: apply for a trial or a purchase in the <Link href="/catalog">catalog</Link>; its pool appears here once staff approve it.</>}</Empty>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {pools.data.items.map((pool) => (
              <Card withBorder key={pool.id} data-testid="pool">
                <Stack gap="xs">
                  <Group justify="space-between" wrap="nowrap">
                    <Title order={3} size="h5">
                      <Link href={`/pools/${pool.id}`}>{pool.product}</Link>
                    </Title>
                    <Badge color={pool.kind === 'trial' ? 'grape' : 'blue'}>{pool.kind}</Badge>
                  </Group>
                  {pool.modality && <Text size="sm">Modality: {pool.modality}</Text>}
                  {staff && (
                    <Text size="sm">
                      Customer: <Named name={pool.customerName} id={pool.customerId} what="customer" />
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
