import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../api/client';
import type { OrderDtoPage, TrialDtoPage } from '../../api/schema';
import { ExportLink } from '../../components/export-link';
import { PagedTable } from '../../components/paged-table';
import { usePage } from '../../components/paging';
import { formatCount, formatMoney, formatTime } from '../../format';
import { Link } from '../../router';

export function StatusBadge({ status, overdue }: { status: string; overdue?: boolean }) {
  const color = status === 'approved' ? 'teal' : status === 'rejected' ? 'red' : overdue ? 'red' : 'blue';
  return <Badge color={color}>{overdue && status === 'submitted' ? 'overdue' : status}</Badge>;
}

/** An application's status with the reviewer's reason under it, which a rejection always has. */
function Decision({ application }: { application: { status: string; overdue: boolean; decisionReason: string | null } }) {
  return (
    <Stack gap={2} align="flex-start">
      <StatusBadge status={application.status} overdue={application.overdue} />
      {application.decisionReason && (
        <Text size="sm" data-testid="decision-reason">
          {application.decisionReason}
        </Text>
      )}
    </Stack>
  );
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
      <Group justify="space-between">
        <Title order={3} size="h4" id="orders-title">
          Purchases
        </Title>
        <ExportLink path="/v1/orders/export" label="Export purchases (CSV)" />
      </Group>
      <PagedTable
        list={orders}
        paging={paging}
        minWidth={640}
        columns={['Product', 'Devices', 'Total', 'Status', 'Review due', 'Pool']}
        secondary={['Devices', 'Review due']}
        empty={
          <>No purchase applications yet: apply for one in the <Link href="/catalog">catalog</Link>.</>
        }
        cells={(order) => (
          <>
            <Table.Td>{order.product}</Table.Td>
            <Table.Td data-secondary>{formatCount(order.quantity)}</Table.Td>
            <Table.Td>{formatMoney(order.totalFen)}</Table.Td>
            <Table.Td>
              <Decision application={order} />
            </Table.Td>
            <Table.Td data-secondary>{formatTime(order.reviewDueAt)}</Table.Td>
            <Table.Td>{order.poolId ? <Link href={`/pools/${order.poolId}`}>open</Link> : '—'}</Table.Td>
          </>
        )}
      />
    </section>
  );
}

function TrialsList() {
  const paging = usePage();
  const trials = useQuery({ queryKey: ['trials', paging.offset], queryFn: () => api<TrialDtoPage>('GET', `/v1/trials${query({ limit: paging.limit, offset: paging.offset })}`) });
  return (
    <section aria-labelledby="trials-title">
      <Group justify="space-between">
        <Title order={3} size="h4" id="trials-title">
          Trials
        </Title>
        <ExportLink path="/v1/trials/export" label="Export trials (CSV)" />
      </Group>
      <PagedTable
        list={trials}
        paging={paging}
        minWidth={560}
        columns={['Product', 'Modality', 'Status', 'Review due', 'Pool']}
        secondary={['Modality', 'Review due']}
        empty={
          <>No trial applications yet: apply for one in the <Link href="/catalog">catalog</Link>.</>
        }
        cells={(trial) => (
          <>
            <Table.Td>{trial.product}</Table.Td>
            <Table.Td data-secondary>{trial.modality ?? '—'}</Table.Td>
            <Table.Td>
              <Decision application={trial} />
            </Table.Td>
            <Table.Td data-secondary>{formatTime(trial.reviewDueAt)}</Table.Td>
            <Table.Td>{trial.poolId ? <Link href={`/pools/${trial.poolId}`}>open</Link> : '—'}</Table.Td>
          </>
        )}
      />
    </section>
  );
}
