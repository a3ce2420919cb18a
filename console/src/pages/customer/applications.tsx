import { Badge, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../api/client';
import type { OrderDtoPage, TrialDtoPage } from '../../api/schema';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Pager, usePage } from '../../components/paging';
import { formatCount, formatMoney, formatTime } from '../../format';
import { Link } from '../../router';

export function StatusBadge({ status, overdue }: { status: string; overdue?: boolean }) {
  const color = status === 'approved' ? 'teal' : status === 'rejected' ? 'red' : overdue ? 'red' : 'blue';
  return <Badge color={color}>{overdue && status === 'submitted' ? 'overdue' : status}</Badge>;
}

export function ApplicationsPage() {
  return (
    <Stack>
      <Title order={2}>Applications</Title>
      <OrdersList />
      <TrialsList />
    </Stack>
  );
}

function OrdersList() {
  const paging = usePage();
  const orders = useQuery({ queryKey: ['orders', paging.offset], queryFn: () => api<OrderDtoPage>('GET', `/v1/orders${query({ limit: paging.limit, offset: paging.offset })}`) });
  return (
    <section aria-labelledby="orders-title">
      <Title order={3} size="h4" id="orders-title">
        Purchases
      </Title>
      {orders.isPending ? (
        <Loading />
      ) : orders.error ? (
        <ErrorNote error={orders.error} />
      ) : orders.data.items.length === 0 ? (
        <Empty>
          No purchase applications yet: apply for one in the <Link href="/catalog">catalog</Link>.
        </Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={640} type="native" tabIndex={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>Devices</Table.Th>
                  <Table.Th>Total</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Review due</Table.Th>
                  <Table.Th>Pool</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {orders.data.items.map((order) => (
                  <Table.Tr key={order.id}>
                    <Table.Td>{order.product}</Table.Td>
                    <Table.Td>{formatCount(order.quantity)}</Table.Td>
                    <Table.Td>{formatMoney(order.total)}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={order.status} overdue={order.overdue} />
                    </Table.Td>
                    <Table.Td>{formatTime(order.reviewDueAt)}</Table.Td>
                    <Table.Td>{order.poolId ? <Link href={`/pools/${order.poolId}`}>open</Link> : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={paging.page} setPage={paging.setPage} total={orders.data.total} />
        </>
      )}
    </section>
  );
}

function TrialsList() {
  const paging = usePage();
  const trials = useQuery({ queryKey: ['trials', paging.offset], queryFn: () => api<TrialDtoPage>('GET', `/v1/trials${query({ limit: paging.limit, offset: paging.offset })}`) });
  return (
    <section aria-labelledby="trials-title">
      <Title order={3} size="h4" id="trials-title">
        Trials
      </Title>
      {trials.isPending ? (
        <Loading />
      ) : trials.error ? (
        <ErrorNote error={trials.error} />
      ) : trials.data.items.length === 0 ? (
        <Empty>
          No trial applications yet: apply for one in the <Link href="/catalog">catalog</Link>.
        </Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={560} type="native" tabIndex={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Product</Table.Th>
                  <Table.Th>Modality</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Review due</Table.Th>
                  <Table.Th>Pool</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {trials.data.items.map((trial) => (
                  <Table.Tr key={trial.id}>
                    <Table.Td>{trial.product}</Table.Td>
                    <Table.Td>{trial.modality ?? '—'}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={trial.status} overdue={trial.overdue} />
                    </Table.Td>
                    <Table.Td>{formatTime(trial.reviewDueAt)}</Table.Td>
                    <Table.Td>{trial.poolId ? <Link href={`/pools/${trial.poolId}`}>open</Link> : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={paging.page} setPage={paging.setPage} total={trials.data.total} />
        </>
      )}
    </section>
  );
}
