import { Alert, Badge, Button, Card, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, LIVE_REFRESH_MS, query } from '../../api/client';
import type { DecisionResultDto, MeDto, OrderDecisionDto, OrderDto, OrderDtoPage, RejectionDto, TrialDto, TrialDtoPage } from '../../api/schema';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Named } from '../../components/named';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Pager, usePage } from '../../components/paging';
import { formatCount, formatMoney, formatTime } from '../../format';
import { type TFunction, useT } from '../../i18n';
import { nameOf } from '../../i18n/names';
import { Link } from '../../router';
import { useMe } from '../../session';

type Application = ({ kind: 'order' } & OrderDto) | ({ kind: 'trial' } & TrialDto);

/** Who may approve, by the four-eyes rules (server/README.md): never the submitter; a negotiated price needs an admin. */
function approvalRule(application: Application, me: MeDto): { may: boolean; who: string } {
  const negotiated = application.kind === 'order' && application.negotiated;
  const who = negotiated ? 'review.whoNegotiated' : 'review.whoListed';
  const self = application.submittedBy === `${me.kind}:${me.id}`;
  const roleMay = negotiated ? me.role === 'admin' : me.role === 'admin' || me.role === 'issuer';
  return { may: roleMay && !self, who };
}

/** What the last decision did, said above the queue (in the language shown): the decided card leaves the queue at once. */
type Outcome = { text: (t: TFunction) => string; poolId?: string };

/** The application in words: "face-recognition order of 1,000 devices of Acme Cameras". */
function whatOf(t: TFunction, application: Application): string {
  const values = { product: nameOf(t, 'products', application.product), customer: application.customerName ?? application.customerId };
  return application.kind === 'order' ? t('review.whatOrder', { ...values, quantity: formatCount(application.quantity) }) : t('review.whatTrial', values);
}

export function ReviewPage() {
  const t = useT();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <Stack>
      <Title order={2}>{t('review.title')}</Title>
      <Text>{t('review.intro')}</Text>
      <div role="status" data-testid="decision-outcome">
        {outcome && (
          <Alert color="teal" variant="outline" withCloseButton closeButtonLabel={t('review.dismiss')} onClose={() => setOutcome(null)}>
            {outcome.text(t)}
            {outcome.poolId && (
              <>
                {' '}
                <Link href={`/pools/${outcome.poolId}`}>{t('review.openPool')}</Link>
              </>
            )}
          </Alert>
        )}
      </div>
      <Queue kind="order" title={t('review.purchases')} onDecided={setOutcome} />
      <Queue kind="trial" title={t('review.trials')} onDecided={setOutcome} />
    </Stack>
  );
}

function Queue({ kind, title, onDecided }: { kind: Application['kind']; title: string; onDecided: (outcome: Outcome) => void }) {
  const t = useT();
  const paging = usePage();
  const path = kind === 'order' ? '/v1/orders' : '/v1/trials';
  const list = useQuery({
    queryKey: [`${kind}s`, 'submitted', paging.offset],
    queryFn: () => api<OrderDtoPage | TrialDtoPage>('GET', `${path}${query({ status: 'submitted', limit: paging.limit, offset: paging.offset })}`),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <section aria-labelledby={`${kind}-queue`}>
      <Title order={3} size="h4" id={`${kind}-queue`} mb="xs">
        {title}
      </Title>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorNote error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('review.empty')}</Empty>
      ) : (
        <Stack>
          {list.data.items.map((item) => (
            <ApplicationCard key={item.id} application={{ kind, ...item } as Application} onDecided={onDecided} />
          ))}
          <Pager page={paging.page} setPage={paging.setPage} total={list.data.total} />
        </Stack>
      )}
    </section>
  );
}

/** A unit price typed in CNY with up to two decimals, as the API's integer fen; null when empty or out of range. */
function fenOf(value: number | ''): number | null {
  if (value === '') return null;
  const fen = Math.round(value * 100);
  return fen >= 1 && fen <= 1_000_000 ? fen : null;
}

function ApplicationCard({ application, onDecided }: { application: Application; onDecided: (outcome: Outcome) => void }) {
  const t = useT();
  const me = useMe();
  const queries = useQueryClient();
  const [note, setNote] = useState('');
  const [unitPrice, setUnitPrice] = useState<number | ''>('');
  const [rejecting, setRejecting] = useState(false);
  const base = `/v1/${application.kind}s/${encodeURIComponent(application.id)}`;
  const needsPrice = application.kind === 'order' && application.unitPriceFen === null;
  const unitPriceFen = fenOf(unitPrice);
  const settle = (outcome: Outcome) => {
    onDecided(outcome);
    queries.invalidateQueries({ queryKey: [`${application.kind}s`] });
    queries.invalidateQueries({ queryKey: ['pools'] });
  };
  const approve = useMutation({
    mutationFn: () => {
      const body: OrderDecisionDto = { reason: note.trim() || undefined };
      if (needsPrice && unitPriceFen !== null) body.unitPriceFen = unitPriceFen;
      return api<DecisionResultDto>('POST', `${base}/approve`, body);
    },
    onSuccess: ({ pool }) =>
      settle(
        pool
          ? { text: (t) => t('review.approved', { what: whatOf(t, application), seats: formatCount(pool.seats) }), poolId: pool.id }
          : { text: (t) => t('review.priced', { what: whatOf(t, application) }) },
      ),
  });
  const reject = useMutation({
    mutationFn: (reason: string) => api<DecisionResultDto>('POST', `${base}/reject`, { reason } satisfies RejectionDto),
    onSuccess: () => {
      setRejecting(false);
      settle({ text: (t) => t('review.rejected', { what: whatOf(t, application) }) });
    },
  });
  if (!me.data) return null;
  const rule = approvalRule(application, me.data);
  const label = t(`review.label.${application.kind}`, { id: application.id });
  const pricing = needsPrice && me.data.role === 'admin';

  return (
    <Card withBorder data-testid="application" aria-label={label}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>
            {nameOf(t, 'products', application.product)}
            {application.modality ? ` · ${nameOf(t, 'modalities', application.modality)}` : ''}
            {application.kind === 'order' ? t('review.orderSummary', { quantity: formatCount(application.quantity), total: formatMoney(application.totalFen) }) : t('review.trialSummary')}
          </Text>
          {application.overdue ? <Badge color="red">{nameOf(t, 'statuses', 'overdue')}</Badge> : <Badge color="blue">{t('review.due', { when: formatTime(application.reviewDueAt) })}</Badge>}
        </Group>
        <Text size="sm">
          {t('review.customer')}
          <Named name={application.customerName} id={application.customerId} what="customer" />
          {t('review.submitted', { when: formatTime(application.submittedAt) })}
          <span data-testid="submitted-by">
            <Named name={application.submittedByName} id={application.submittedBy} what="submitter" />
          </span>
          {t('review.dueAfter', { when: formatTime(application.reviewDueAt) })}
        </Text>
        <Text size="sm" c={rule.may ? undefined : 'red.9'}>
          {t('review.mayApprove', { who: t(rule.who) })}
          {rule.may ? '' : t('review.notYou')}
        </Text>
        {pricing && application.kind === 'order' && (
          <>
            <NumberInput label={t('review.unitPrice')} min={0.01} max={10_000} decimalScale={2} thousandSeparator="," value={unitPrice} onChange={(value) => setUnitPrice(typeof value === 'number' ? value : '')} maw={260} />
            <Text size="sm" data-testid="negotiated-total" aria-live="polite">
              {unitPriceFen === null
                ? t('review.enterPrice')
                : t('review.total', { quantity: formatCount(application.quantity), unitPrice: formatMoney(unitPriceFen), total: formatMoney(unitPriceFen * application.quantity) })}
            </Text>
          </>
        )}
        <TextInput label={t('review.note')} value={note} onChange={(event) => setNote(event.currentTarget.value)} />
        <ErrorNote error={approve.error} />
        {me.data.role !== 'auditor' && (
          <Group>
            <Button onClick={() => approve.mutate()} loading={approve.isPending} disabled={!rule.may || (pricing && unitPriceFen === null)} aria-label={t('review.approveOf', { label })}>
              {pricing ? t('review.recordPrice') : t('review.approve')}
            </Button>
            <Button color="red" variant="outline" onClick={() => setRejecting(true)} aria-label={t('review.rejectOf', { label })}>
              {t('review.reject')}
            </Button>
          </Group>
        )}
      </Stack>
      {rejecting && (
        <ConfirmDialog
          title={t(`review.rejectTitle.${application.kind}`)}
          confirmLabel={t('review.rejectConfirm')}
          reasonLabel={t('review.rejectReason')}
          pending={reject.isPending}
          error={reject.error}
          onConfirm={(reason) => reject.mutate(reason)}
          onClose={() => setRejecting(false)}
        >
          <Text size="sm">{t('review.rejectText', { what: whatOf(t, application) })}</Text>
        </ConfirmDialog>
      )}
    </Card>
  );
}
