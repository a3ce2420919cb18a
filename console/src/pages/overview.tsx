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
import { isStaff, useMe } from '../session';

/** The page's words, in one place until the console's translation catalogs take them. */
const TEXT = {
  title: 'Overview',
  seats: 'Seats per pool',
  noPools: 'No pools yet: a pool appears once staff approve a trial or a purchase.',
  seatsUsed: (used: number, seats: number) => `${formatCount(used)} / ${formatCount(seats)} seats used`,
  seatsLeft: (left: number) => `${formatCount(left)} left`,
  seatsBar: (used: number, seats: number, product: string) => `${product}: ${used} of ${seats} seats used`,
  trials: 'Trials',
  noTrials: 'No trial is running.',
  daysLeft: (days: number) => (days === 1 ? 'last day' : `${days} days left`),
  trialEnds: (at: string) => `ends ${formatTime(at)}`,
  activations: 'Activations per day, last 90 days',
  activationsAcross: 'Activations per day across customers, last 90 days',
  activationsSeries: 'New devices',
  activationsSummary: (total: number, from: string, to: string) => `${formatCount(total)} new devices from ${from} to ${to} (days in UTC).`,
  activationsChart: (total: number, busiest: { day: string; activations: number } | undefined) =>
    `Bar chart of new devices per day: ${formatCount(total)} in all${busiest && busiest.activations > 0 ? `, most on ${busiest.day} (${formatCount(busiest.activations)})` : ''}.`,
  review: 'Review queue',
  waiting: (what: string, count: number) => `${what} waiting: ${formatCount(count)}`,
  overdueCount: (count: number) => `${formatCount(count)} overdue`,
  orders: 'Purchases',
  trialApplications: 'Trials',
  nextDue: (at: string) => `Next due ${formatTime(at)}.`,
  openQueue: 'Open the review queue',
  overdueList: 'Overdue',
  purchase: 'Purchase',
  trial: 'Trial',
  overdueItem: (kind: string, product: string) => `${kind} of ${product}`,
  dueAt: (at: string) => `due ${formatTime(at)}`,
  nothingOverdue: 'Nothing is overdue.',
  filling: 'Pools at 80 % of their seats or more',
  noneFilling: 'No pool has used 80 % of its seats.',
  full: 'full',
  endingSoon: 'Trials ending within 7 days',
  noneEnding: 'No trial ends within 7 days.',
} as const;

export function OverviewPage() {
  const me = useMe();
  if (!me.data) return <Loading />;
  return (
    <Stack>
      <Title order={2}>{TEXT.title}</Title>
      {isStaff(me.data.role) ? <StaffOverview /> : <CustomerOverview />}
    </Stack>
  );
}

function CustomerOverview() {
  return (
    <>
      <Section title={TEXT.seats}>
        <PoolSeats minPercent={0} empty={TEXT.noPools} />
      </Section>
      <Section title={TEXT.trials}>
        <EndingTrials empty={TEXT.noTrials} />
      </Section>
      <Section title={TEXT.activations}>
        <ActivationsChart />
      </Section>
    </>
  );
}

function StaffOverview() {
  return (
    <>
      <Section title={TEXT.review}>
        <ReviewQueue />
      </Section>
      <Section title={TEXT.filling}>
        <PoolSeats minPercent={80} empty={TEXT.noneFilling} staff />
      </Section>
      <Section title={TEXT.endingSoon}>
        <EndingTrials withinDays={7} empty={TEXT.noneEnding} staff />
      </Section>
      <Section title={TEXT.activationsAcross}>
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

/** A query's loading and failure states, else its content. */
function Loaded<T>({ result, children }: { result: { isPending: boolean; error: unknown; data?: T }; children: (data: T) => ReactNode }) {
  if (result.isPending) return <Loading />;
  if (result.error || result.data === undefined) return <ErrorNote error={result.error} />;
  return <>{children(result.data)}</>;
}

function PoolSeats({ minPercent, empty, staff = false }: { minPercent: number; empty: string; staff?: boolean }) {
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
                    <Link href={`/pools/${pool.poolId}`}>{pool.product}</Link>
                  </Text>
                  {pool.seatsLeft === 0 ? <Badge color="red">{TEXT.full}</Badge> : <Badge color={pool.kind === 'trial' ? 'grape' : 'blue'}>{pool.kind}</Badge>}
                </Group>
                {staff && (
                  <Text size="sm">
                    <Named name={pool.customerName} id={pool.customerId} what="customer" />
                  </Text>
                )}
                <Progress value={pool.percentUsed} color={pool.percentUsed >= 80 ? 'red' : 'teal'} aria-label={TEXT.seatsBar(pool.seatsUsed, pool.seats, pool.product)} />
                <Text size="sm" data-testid="overview-seats">
                  {TEXT.seatsUsed(pool.seatsUsed, pool.seats)} · {TEXT.seatsLeft(pool.seatsLeft)}
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
                  <Link href={`/pools/${trial.poolId}`}>{trial.product}</Link>
                  {staff && (
                    <>
                      {' · '}
                      <Named name={trial.customerName} id={trial.customerId} what="customer" />
                    </>
                  )}
                  {' · '}
                  {TEXT.seatsUsed(trial.seatsUsed, trial.seats)} · {TEXT.trialEnds(trial.expiresAt)}
                </Text>
                <Badge color={trial.daysLeft <= 7 ? 'red' : 'grape'} data-testid="days-left">
                  {TEXT.daysLeft(trial.daysLeft)}
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
              {TEXT.activationsSummary(data.total, data.days[0]?.day ?? '', data.days.at(-1)?.day ?? '')}
            </Text>
            <div role="img" aria-label={TEXT.activationsChart(data.total, busiest)} data-testid="activations-chart">
              <BarChart
                h={220}
                data={data.days}
                dataKey="day"
                series={[{ name: 'activations', label: TEXT.activationsSeries, color: 'teal.9' }]}
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
  const review = useQuery({ queryKey: ['overview', 'review'], queryFn: () => api<ReviewOverviewDto>('GET', '/v1/overview/review'), refetchInterval: LIVE_REFRESH_MS });
  // The overdue applications themselves, as the review queue's own filter lists them.
  const overdue = useQuery({
    queryKey: ['overview', 'overdue'],
    queryFn: async () => {
      const [orders, trials] = await Promise.all([
        api<OrderDtoPage>('GET', `/v1/orders${query({ overdue: true, limit: 5 })}`),
        api<TrialDtoPage>('GET', `/v1/trials${query({ overdue: true, limit: 5 })}`),
      ]);
      return [...orders.items.map((item) => ({ kind: TEXT.purchase, ...item })), ...trials.items.map((item) => ({ kind: TEXT.trial, ...item }))].sort((a, b) => a.reviewDueAt.localeCompare(b.reviewDueAt));
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
                [TEXT.orders, data.orders],
                [TEXT.trialApplications, data.trials],
              ] as const
            ).map(([what, counts]) => (
              <Group key={what} gap="xs" data-testid="review-counts">
                <Text>{TEXT.waiting(what, counts.submitted)}</Text>
                {counts.overdue > 0 && <Badge color="red">{TEXT.overdueCount(counts.overdue)}</Badge>}
              </Group>
            ))}
          </SimpleGrid>
          {data.nextDueAt && <Text size="sm">{TEXT.nextDue(data.nextDueAt)}</Text>}
          <Title order={4} size="h5">
            {TEXT.overdueList}
          </Title>
          <Loaded result={overdue}>
            {(items) =>
              items.length === 0 ? (
                <Empty>{TEXT.nothingOverdue}</Empty>
              ) : (
                <Stack gap={4}>
                  {items.map((item) => (
                    <Text size="sm" key={item.id} data-testid="overdue-item">
                      {TEXT.overdueItem(item.kind, item.product)} · <Named name={item.customerName} id={item.customerId} what="customer" /> · {TEXT.dueAt(item.reviewDueAt)}
                    </Text>
                  ))}
                </Stack>
              )
            }
          </Loaded>
          <Text size="sm">
            <Link href="/review">{TEXT.openQueue}</Link>
          </Text>
        </Stack>
      )}
    </Loaded>
  );
}
