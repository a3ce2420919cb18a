import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, query } from '../../api/client';
import type { OrderDtoPage, TrialDtoPage } from '../../api/schema';
import { ExportLink } from '../../components/export-link';
import { PagedTable } from '../../components/paged-table';
import { usePage } from '../../components/paging';
import { formatCount, formatMoney, formatTime } from '../../format';
import { useT } from '../../i18n';
import { nameOf } from '../../i18n/names';
import { Link } from '../../router';

export function StatusBadge({ status, overdue }: { status: string; overdue?: boolean }) {
  const t = useT();
  const color = status === 'approved' ? 'teal' : status === 'rejected' ? 'red' : overdue ? 'red' : 'blue';
  return <Badge color={color}>{nameOf(t, 'statuses', overdue && status === 'submitted' ? 'overdue' : status)}</Badge>;
}

/** An application's status with the reviewer's reason under it, which a rejection always has. */
function Decision({ application }: { application: { status: string; overdue: boolean; decisionReason: string | null } }) {
  return (
    <Stack gap={2} align="flex-start">
      <StatusBadge status={application.status} overdue={application.overdue} />
      {application.decisionReason && (
        <Text size="sm" data-testid="decision-reason" translate="no">
          {application.decisionReason}
        </Text>
      )}
    </Stack>
  );
}

export function ApplicationsPage() {
  const t = useT();
  return (
    <Stack>
      <Title order={2}>{t('applications.title')}</Title>
      <OrdersList />
      <TrialsList />
    </Stack>
  );
}

function OrdersList() {
  const t = useT();
  const paging = usePage();
  const orders = useQuery({ queryKey: ['orders', paging.offset], queryFn: () => api<OrderDtoPage>('GET', `/v1/orders${query({ limit: paging.limit, offset: paging.offset })}`) });
  return (
    <section aria-labelledby="orders-title">
      <Group justify="space-between">
        <Title order={3} size="h4" id="orders-title">
          {t('applications.purchases')}
        </Title>
        <ExportLink path="/v1/orders/export" label={t('applications.exportPurchases')} />
      </Group>
      <PagedTable
        list={orders}
        paging={paging}
        minWidth={640}
        columns={[t('common.product'), t('common.devices'), t('applications.total'), t('common.status'), t('common.reviewDue'), t('common.pool')]}
        secondary={[t('common.devices'), t('common.reviewDue')]}
        empty={
          <>
            {t('applications.noPurchasesBefore')}
            <Link href="/catalog">{t('applications.emptyLink')}</Link>
            {t('applications.emptyAfter')}
          </>
        }
        cells={(order) => (
          <>
            <Table.Td>{nameOf(t, 'products', order.product)}</Table.Td>
            <Table.Td data-secondary>{formatCount(order.quantity)}</Table.Td>
            <Table.Td>{formatMoney(order.totalFen)}</Table.Td>
            <Table.Td>
              <Decision application={order} />
            </Table.Td>
            <Table.Td data-secondary>{formatTime(order.reviewDueAt)}</Table.Td>
            <Table.Td>{order.poolId ? <Link href={`/pools/${order.poolId}`}>{t('common.open')}</Link> : '—'}</Table.Td>
          </>
        )}
      />
    </section>
  );
}

function TrialsList() {
  const t = useT();
  const paging = usePage();
  const trials = useQuery({ queryKey: ['trials', paging.offset], queryFn: () => api<TrialDtoPage>('GET', `/v1/trials${query({ limit: paging.limit, offset: paging.offset })}`) });
  return (
    <section aria-labelledby="trials-title">
      <Group justify="space-between">
        <Title order={3} size="h4" id="trials-title">
          {t('applications.trials')}
        </Title>
        <ExportLink path="/v1/trials/export" label={t('applications.exportTrials')} />
      </Group>
      <PagedTable
        list={trials}
        paging={paging}
        minWidth={560}
        columns={[t('common.product'), t('common.modality'), t('common.status'), t('common.reviewDue'), t('common.pool')]}
        secondary={[t('common.modality'), t('common.reviewDue')]}
        empty={
          <>
            {t('applications.noTrialsBefore')}
            <Link href="/catalog">{t('applications.emptyLink')}</Link>
            {t('applications.emptyAfter')}
          </>
        }
        cells={(trial) => (
          <>
            <Table.Td>{nameOf(t, 'products', trial.product)}</Table.Td>
            <Table.Td data-secondary>{trial.modality ? nameOf(t, 'modalities', trial.modality) : '—'}</Table.Td>
            <Table.Td>
              <Decision application={trial} />
            </Table.Td>
            <Table.Td data-secondary>{formatTime(trial.reviewDueAt)}</Table.Td>
            <Table.Td>{trial.poolId ? <Link href={`/pools/${trial.poolId}`}>{t('common.open')}</Link> : '—'}</Table.Td>
          </>
        )}
      />
    </section>
  );
}
