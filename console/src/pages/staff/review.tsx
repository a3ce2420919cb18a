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
import { Link } from '../../router';
import { useMe } from '../../session';

type Application = ({ kind: 'order' } & OrderDto) | ({ kind: 'trial' } & TrialDto);

/** Who may approve, by the four-eyes rules (server/README.md): never the submitter; a negotiated price needs an admin. */
function approvalRule(application: Application, me: MeDto): { may: boolean; who: string } {
  const negotiated = application.kind === 'order' && application.negotiated;
  const who = negotiated ? 'an admin other than the submitter and whoever entered the negotiated price' : 'an admin or issuer other than the submitter';
  const self = application.submittedBy === `${me.kind}:${me.id}`;
  const roleMay = negotiated ? me.role === 'admin' : me.role === 'admin' || me.role === 'issuer';
  return { may: roleMay && !self, who };
}

/** What the last decision did, said above the queue: the decided card leaves the queue at once. */
type Outcome = { text: string; poolId?: string };

export function ReviewPage() {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <Stack>
      <Title order={2}>Review queue</Title>
      <Text>Oldest first: each application is due two business days after it was submitted.</Text>
      <div role="status" data-testid="decision-outcome">
        {outcome && (
          <Alert color="teal" variant="outline" withCloseButton closeButtonLabel="Dismiss" onClose={() => setOutcome(null)}>
            {outcome.text}
            {outcome.poolId && (
              <>
                {' '}
                <Link href={`/pools/${outcome.poolId}`}>Open the pool</Link>
              </>
            )}
          </Alert>
        )}
      </div>
      <Queue kind="order" title="Purchases" onDecided={setOutcome} />
      <Queue kind="trial" title="Trials" onDecided={setOutcome} />
    </Stack>
  );
}

function Queue({ kind, title, onDecided }: { kind: Application['kind']; title: string; onDecided: (outcome: Outcome) => void }) {
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
        <Empty>Nothing waiting for review. New applications appear here as customers submit them.</Empty>
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
  const me = useMe();
  const queries = useQueryClient();
  const [note, setNote] = useState('');
  const [unitPrice, setUnitPrice] = useState<number | ''>('');
  const [rejecting, setRejecting] = useState(false);
  const base = `/v1/${application.kind}s/${encodeURIComponent(application.id)}`;
  const needsPrice = application.kind === 'order' && application.unitPriceFen === null;
  const unitPriceFen = fenOf(unitPrice);
  const what = `${application.product}${application.kind === 'order' ? ` order of ${formatCount(application.quantity)} devices` : ' trial'} of ${application.customerName ?? application.customerId}`;
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
    onSuccess: (result) =>
      settle(
        result.pool
          ? { text: `Approved the ${what}: a pool of ${formatCount(result.pool.seats)} seats was created.`, poolId: result.pool.id }
          : { text: `Price recorded for the ${what}; another admin approves the order.` },
      ),
  });
  const reject = useMutation({
    mutationFn: (reason: string) => api<DecisionResultDto>('POST', `${base}/reject`, { reason } satisfies RejectionDto),
    onSuccess: () => {
      setRejecting(false);
      settle({ text: `Rejected the ${what}; the customer sees your reason.` });
    },
  });
  if (!me.data) return null;
  const rule = approvalRule(application, me.data);
  const label = `${application.kind} ${application.id}`;
  const pricing = needsPrice && me.data.role === 'admin';

  return (
    <Card withBorder data-testid="application" aria-label={label}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>
            {application.product}
            {application.modality ? ` · ${application.modality}` : ''}
            {application.kind === 'order' ? ` · ${formatCount(application.quantity)} devices · ${formatMoney(application.totalFen)}` : ' · trial'}
          </Text>
          {application.overdue ? <Badge color="red">overdue</Badge> : <Badge color="blue">due {formatTime(application.reviewDueAt)}</Badge>}
        </Group>
        <Text size="sm">
          Customer <Named name={application.customerName} id={application.customerId} what="customer" /> · submitted {formatTime(application.submittedAt)} by{' '}
          <span data-testid="submitted-by">
            <Named name={application.submittedByName} id={application.submittedBy} what="submitter" />
          </span>{' '}
          · due {formatTime(application.reviewDueAt)}
        </Text>
        <Text size="sm" c={rule.may ? undefined : 'red.9'}>
          May approve: {rule.who}.{rule.may ? '' : ' Not you.'}
        </Text>
        {pricing && application.kind === 'order' && (
          <>
            <NumberInput label="Negotiated unit price (CNY)" min={0.01} max={10_000} decimalScale={2} thousandSeparator="," value={unitPrice} onChange={(value) => setUnitPrice(typeof value === 'number' ? value : '')} maw={260} />
            <Text size="sm" data-testid="negotiated-total" aria-live="polite">
              {unitPriceFen === null
                ? 'Enter a unit price from 0.01 to 10,000 CNY to see the total.'
                : `Total: ${formatCount(application.quantity)} × ${formatMoney(unitPriceFen)} = ${formatMoney(unitPriceFen * application.quantity)}`}
            </Text>
          </>
        )}
        <TextInput label="Note (optional; the customer sees it)" value={note} onChange={(event) => setNote(event.currentTarget.value)} />
        <ErrorNote error={approve.error} />
        {me.data.role !== 'auditor' && (
          <Group>
            <Button onClick={() => approve.mutate()} loading={approve.isPending} disabled={!rule.may || (pricing && unitPriceFen === null)} aria-label={`Approve ${label}`}>
              {pricing ? 'Record price' : 'Approve'}
            </Button>
            <Button color="red" variant="outline" onClick={() => setRejecting(true)} aria-label={`Reject ${label}`}>
              Reject…
            </Button>
          </Group>
        )}
      </Stack>
      {rejecting && (
        <ConfirmDialog
          title={`Reject this ${application.kind}?`}
          confirmLabel="Reject application"
          reasonLabel="Reason (the customer sees it)"
          pending={reject.isPending}
          error={reject.error}
          onConfirm={(reason) => reject.mutate(reason)}
          onClose={() => setRejecting(false)}
        >
          <Text size="sm">The {what} is rejected. The customer sees your reason and may apply again.</Text>
        </ConfirmDialog>
      )}
    </Card>
  );
}
