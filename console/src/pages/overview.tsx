import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Badge, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, LIVE_REFRESH_MS, query } from '../api/client';
import type { ActivationsOverviewDto, OrderDtoPage, ReviewOverviewDto, SeatsOverviewDto, TrialDtoPage, TrialsOverviewDto } from '../api/schema';
import { Empty, ErrorNote, Loading } from '../components/feedback';
import { Named } from '../components/named';
import { formatCount, formatTime } from '../format';
import { Link } from '../router';
import { type TFunction, useT } from '../i18n';
import { nameOf } from '../i18n/names';
import { isStaff, useMe } from '../session';

export function OverviewPage() {
  const me = useMe();
  const t = useT();
  if (!me.data) return <Loading />;
  return (
    <Stack>
      <Title order={2}>{t('overview.title')}</Title>
      {isStaff(me.data.role) ? <StaffOverview /> : <CustomerOverview />}
    </Stack>
  );
}

function CustomerOverview() {
  const t = useT();
  return (
    <>
      <Section title={t('overview.seats')}>
        <PoolSeats minPercent={0} empty={t('overview.noPools')} />
      </Section>
      <Section title={t('overview.trials')}>
        <EndingTrials empty={t('overview.noTrials')} />
      </Section>
      <Section title={t('overview.activations')}>
        <ActivationsChart />
      </Section>
    </>
  );
}

function StaffOverview() {
  const t = useT();
  return (
    <>
      <Section title={t('overview.review')}>
        <ReviewQueue />
      </Section>
      <Section title={t('overview.filling')}>
        <PoolSeats minPercent={80} empty={t('overview.noneFilling')} staff />
      </Section>
      <Section title={t('overview.endingSoon')}>
        <EndingTrials withinDays={7} empty={t('overview.noneEnding')} staff />
      </Section>
      <Section title={t('overview.activationsAcross')}>
        <ActivationsChart />
      </Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

/** Seats used of a pool's total. */
function seatsUsed(t: TFunction, pool: { seatsUsed: number; seats: number }): string {
  return t('overview.seatsUsed', { used: formatCount(pool.seatsUsed), seats: formatCount(pool.seats) });
}

/** A query's loading and failure states, else its content. */
function Loaded<T>({ result, children }: { result: { isPending: boolean; error: unknown; data?: T }; children: (data: T) => ReactNode }) {
  if (result.isPending) return <Loading />;
  if (result.error || result.data === undefined) return <ErrorNote error={result.error} />;
  return <>{children(result.data)}</>;
}

function PoolSeats({ minPercent, empty, staff = false }: { minPercent: number; empty: string; staff?: boolean }) {
  const t = useT();
  const seats = useQuery({
    queryKey: ['overview', 'seats', minPercent],
    queryFn: () => api<SeatsOverviewDto>('GET', `/v1/overview/seats${query({ minPercent })}`),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <Loaded result={seats}>
      {(data) =>
        data.items.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {data.items.map((pool) => (
              <Stack gap={4} key={pool.poolId} data-testid="overview-pool">
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text fw={600}>
                    <Link href={`/pools/${pool.poolId}`}>{nameOf(t, 'products', pool.product)}</Link>
                  </Text>
                  {pool.seatsLeft === 0 ? <Badge color="red">{t('overview.full')}</Badge> : <Badge color={pool.kind === 'trial' ? 'grape' : 'blue'}>{nameOf(t, 'poolKinds', pool.kind)}</Badge>}
                </Group>
                {staff && (
                  <Text size="sm">
                    <Named name={pool.customerName} id={pool.customerId} what="customer" />
                  </Text>
                )}
                <Progress value={pool.percentUsed} color={pool.percentUsed >= 80 ? 'red' : 'teal'} aria-label={t('overview.seatsBar', { product: nameOf(t, 'products', pool.product), used: formatCount(pool.seatsUsed), seats: formatCount(pool.seats) })} />
                <Text size="sm" data-testid="overview-seats">
                  {seatsUsed(t, pool)} · {t('overview.seatsLeft', { left: formatCount(pool.seatsLeft) })}
                </Text>
              </Stack>
            ))}
          </SimpleGrid>
        )
      }
    </Loaded>
  );
}

function EndingTrials({ withinDays, empty, staff = false }: { withinDays?: number; empty: string; staff?: boolean }) {
  const t = useT();
  const trials = useQuery({
    queryKey: ['overview', 'trials', withinDays],
    queryFn: () => api<TrialsOverviewDto>('GET', `/v1/overview/trials${query({ withinDays })}`),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <Loaded result={trials}>
      {(data) =>
        data.items.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <Stack gap="xs">
            {data.items.map((trial) => (
              <Group key={trial.poolId} justify="space-between" gap="xs" data-testid="overview-trial">
                <Text size="sm">
                  <Link href={`/pools/${trial.poolId}`}>{nameOf(t, 'products', trial.product)}</Link>
                  {staff && (
                    <>
                      {' · '}
                      <Named name={trial.customerName} id={trial.customerId} what="customer" />
                    </>
                  )}
                  {' · '}
                  {seatsUsed(t, trial)} · {t('overview.trialEnds', { at: formatTime(trial.expiresAt) })}
                </Text>
                <Badge color={trial.daysLeft <= 7 ? 'red' : 'grape'} data-testid="days-left">
                  {t('overview.daysLeft', { count: trial.daysLeft })}
                </Badge>
              </Group>
            ))}
          </Stack>
        )
      }
    </Loaded>
  );
}

function ActivationsChart() {
  const t = useT();
  const activations = useQuery({
    queryKey: ['overview', 'activations'],
    queryFn: () => api<ActivationsOverviewDto>('GET', '/v1/overview/activations?days=90'),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <Loaded result={activations}>
      {(data) => {
        const busiest = data.days.reduce<(typeof data.days)[number] | undefined>((best, day) => (best === undefined || day.activations > best.activations ? day : best), undefined);
        return (
          <Stack gap="xs">
            <Text size="sm" data-testid="activations-total">
              {t('overview.activationsSummary', { total: formatCount(data.total), from: data.days[0]?.day ?? '', to: data.days.at(-1)?.day ?? '' })}
            </Text>
            <div
              role="img"
              aria-label={
                busiest && busiest.activations > 0
                  ? t('overview.activationsBusiest', { total: formatCount(data.total), day: busiest.day, most: formatCount(busiest.activations) })
                  : t('overview.activationsChart', { total: formatCount(data.total) })
              }
              data-testid="activations-chart"
            >
              <BarChart
                h={220}
                data={data.days}
                dataKey="day"
                series={[{ name: 'activations', label: t('overview.activationsSeries'), color: 'teal.9' }]}
                tickLine="none"
                gridAxis="y"
                xAxisProps={{ tickFormatter: (day: string) => day.slice(5), minTickGap: 24 }}
                valueFormatter={formatCount}
              />
            </div>
          </Stack>
        );
      }}
    </Loaded>
  );
}

function ReviewQueue() {
  const t = useT();
  const review = useQuery({ queryKey: ['overview', 'review'], queryFn: () => api<ReviewOverviewDto>('GET', '/v1/overview/review'), refetchInterval: LIVE_REFRESH_MS });
  // The overdue applications themselves, as the review queue's own filter lists them.
  const overdue = useQuery({
    queryKey: ['overview', 'overdue'],
    queryFn: async () => {
      const [orders, trials] = await Promise.all([
        api<OrderDtoPage>('GET', `/v1/orders${query({ overdue: true, limit: 5 })}`),
        api<TrialDtoPage>('GET', `/v1/trials${query({ overdue: true, limit: 5 })}`),
      ]);
      return [...orders.items.map((item) => ({ kind: 'purchase' as const, ...item })), ...trials.items.map((item) => ({ kind: 'trial' as const, ...item }))].sort((a, b) => a.reviewDueAt.localeCompare(b.reviewDueAt));
    },
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <Loaded result={review}>
      {(data) => (
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {(
              [
                [t('overview.orders'), data.orders],
                [t('overview.trialApplications'), data.trials],
              ] as const
            ).map(([what, counts]) => (
              <Group key={what} gap="xs" data-testid="review-counts">
                <Text>{t('overview.waiting', { what, count: formatCount(counts.submitted) })}</Text>
                {counts.overdue > 0 && <Badge color="red">{t('overview.overdueCount', { count: formatCount(counts.overdue) })}</Badge>}
              </Group>
            ))}
          </SimpleGrid>
          {data.nextDueAt && <Text size="sm">{t('overview.nextDue', { at: formatTime(data.nextDueAt) })}</Text>}
          <Title order={4} size="h5">
            {t('overview.overdueList')}
          </Title>
          <Loaded result={overdue}>
            {(items) =>
              items.length === 0 ? (
                <Empty>{t('overview.nothingOverdue')}</Empty>
              ) : (
                <Stack gap={4}>
                  {items.map((item) => (
                    <Text size="sm" key={item.id} data-testid="overdue-item">
                      {t('overview.overdueItem', { kind: t(`overview.${item.kind}`), product: nameOf(t, 'products', item.product) })} · <Named name={item.customerName} id={item.customerId} what="customer" /> ·{' '}
                      {t('overview.dueAt', { at: formatTime(item.reviewDueAt) })}
                    </Text>
                  ))}
                </Stack>
              )
            }
          </Loaded>
          <Text size="sm">
            <Link href="/review">{t('overview.openQueue')}</Link>
          </Text>
        </Stack>
      )}
    </Loaded>
  );
}
