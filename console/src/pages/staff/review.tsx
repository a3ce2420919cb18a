import { Badge, Button, Card, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../api/client';
import type { DecisionResultDto, MeDto, OrderDecisionDto, OrderDto, OrderDtoPage, TrialDto, TrialDtoPage } from '../../api/schema';
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

export function ReviewPage() {
  return (
    <Stack>
      <Title order={2}>Review queue</Title>
      <Text>Oldest first: each application is due two business days after it was submitted.</Text>
      <Queue kind="order" title="Purchases" />
      <Queue kind="trial" title="Trials" />
    </Stack>
  );
}

function Queue({ kind, title }: { kind: Application['kind']; title: string }) {
  const paging = usePage();
  const path = kind === 'order' ? '/v1/orders' : '/v1/trials';
  const list = useQuery({
    queryKey: [`${kind}s`, 'submitted', paging.offset],
    queryFn: () => api<OrderDtoPage | TrialDtoPage>('GET', `${path}${query({ status: 'submitted', limit: paging.limit, offset: paging.offset })}`),
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
            <ApplicationCard key={item.id} application={{ kind, ...item } as Application} />
          ))}
          <Pager page={paging.page} setPage={paging.setPage} total={list.data.total} />
        </Stack>
      )}
    </section>
  );
}

function ApplicationCard({ application }: { application: Application }) {
  const me = useMe();
  const queries = useQueryClient();
  const [reason, setReason] = useState('');
  const [unitPrice, setUnitPrice] = useState<number | ''>('');
  const base = `/v1/${application.kind}s/${encodeURIComponent(application.id)}`;
  const needsPrice = application.kind === 'order' && application.unitPrice === null;
  const decide = useMutation({
    mutationFn: (verdict: 'approve' | 'reject') => {
      const body: OrderDecisionDto = { reason: reason || undefined };
      if (verdict === 'approve' && needsPrice && unitPrice !== '') body.unitPrice = unitPrice;
      return api<DecisionResultDto>('POST', `${base}/${verdict}`, body);
    },
    onSuccess: () => {
      queries.invalidateQueries({ queryKey: [`${application.kind}s`] });
      queries.invalidateQueries({ queryKey: ['pools'] });
    },
  });
  if (!me.data) return null;
  const rule = approvalRule(application, me.data);
  const label = `${application.kind} ${application.id}`;

  return (
    <Card withBorder data-testid="application" aria-label={label}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>
            {application.product}
            {application.modality ? ` · ${application.modality}` : ''}
            {application.kind === 'order' ? ` · ${formatCount(application.quantity)} devices · ${formatMoney(application.total)}` : ' · trial'}
          </Text>
          {application.overdue ? <Badge color="red">overdue</Badge> : <Badge color="blue">due {formatTime(application.reviewDueAt)}</Badge>}
        </Group>
        <Text size="sm">
          Customer {application.customerId} · submitted {formatTime(application.submittedAt)} by <span data-testid="submitted-by">{application.submittedBy}</span> · due {formatTime(application.reviewDueAt)}
        </Text>
        <Text size="sm" c={rule.may ? undefined : 'red.9'}>
          May approve: {rule.who}.{rule.may ? '' : ' Not you.'}
        </Text>
        {needsPrice && me.data.role === 'admin' && (
          <NumberInput label="Negotiated unit price (CNY)" min={0.01} max={10_000} decimalScale={2} thousandSeparator="," value={unitPrice} onChange={(value) => setUnitPrice(typeof value === 'number' ? value : '')} maw={260} />
        )}
        <TextInput label="Reason (for the audit log)" value={reason} onChange={(event) => setReason(event.currentTarget.value)} />
        <ErrorNote error={decide.error} />
        {decide.data?.pool && (
          <Text c="teal" role="status">
            Approved: pool <Link href={`/pools/${decide.data.pool.id}`}>{decide.data.pool.id}</Link> with {formatCount(decide.data.pool.seats)} seats.
          </Text>
        )}
        {decide.data?.status === 'submitted' && (
          <Text c="teal" role="status">
            Price recorded; another admin approves the order.
          </Text>
        )}
        {decide.data?.status === 'rejected' && (
          <Text c="teal" role="status">
            Rejected.
          </Text>
        )}
        {me.data.role !== 'auditor' && (
          <Group>
            <Button onClick={() => decide.mutate('approve')} loading={decide.isPending && decide.variables === 'approve'} disabled={!rule.may || decide.isSuccess} aria-label={`Approve ${label}`}>
              Approve
            </Button>
            <Button color="red" variant="outline" onClick={() => decide.mutate('reject')} loading={decide.isPending && decide.variables === 'reject'} disabled={decide.isSuccess} aria-label={`Reject ${label}`}>
              Reject
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
