import { Badge, Button, Group, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { type CreateWebhookDto, type UpdateWebhookDto, type WebhookDeliveryDto, type WebhookDeliveryList, type WebhookEndpointDto, type WebhookEndpointList, type WebhookEndpointWithSecretDto, WebhookEventType } from '../../api/schema';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Secret } from '../../components/secret';
import { formatTime } from '../../format';
import { useT } from '../../i18n';
import { nameOf } from '../../i18n/names';

const path = (id: string, rest = '') => `/v1/webhooks/${encodeURIComponent(id)}${rest}`;

/** Admin only: where events are posted, each endpoint's secret (shown once) and its delivery log. */
export function WebhooksPage() {
  const t = useT();
  const queries = useQueryClient();
  const [url, setUrl] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [shown, setShown] = useState<string>();
  const endpoints = useQuery({ queryKey: ['webhooks'], queryFn: () => api<WebhookEndpointList>('GET', '/v1/webhooks') });
  const refresh = () => queries.invalidateQueries({ queryKey: ['webhooks'] });
  const create = useMutation({
    mutationFn: () => api<WebhookEndpointWithSecretDto>('POST', '/v1/webhooks', { url, eventTypes: eventTypes as WebhookEventType[] } satisfies CreateWebhookDto),
    onSuccess: refresh,
  });
  const rotate = useMutation({ mutationFn: (id: string) => api<WebhookEndpointWithSecretDto>('POST', path(id, '/rotate-secret')), onSuccess: refresh });
  const update = useMutation({ mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => api<WebhookEndpointDto>('PATCH', path(id), { enabled } satisfies UpdateWebhookDto), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: string) => api<void>('DELETE', path(id)), onSuccess: refresh });
  const secret = rotate.data ?? create.data;
  return (
    <Stack>
      <Title order={2}>{t('webhooks.title')}</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Group align="end">
          <TextInput label={t('webhooks.url')} type="url" required placeholder="https://erp.example.com/seatlock" value={url} onChange={(event) => setUrl(event.currentTarget.value)} miw={320} />
          <MultiSelect label={t('webhooks.events')} data={[...WebhookEventType]} value={eventTypes} onChange={setEventTypes} searchable required miw={320} />
          <Button type="submit" loading={create.isPending}>
            {t('webhooks.add')}
          </Button>
        </Group>
      </form>
      <ErrorNote error={create.error ?? rotate.error ?? update.error ?? remove.error} />
      {secret && <Secret label={t('webhooks.signingSecret', { url: secret.url })} value={secret.secret} />}
      {endpoints.isPending ? (
        <Loading />
      ) : endpoints.error ? (
        <ErrorNote error={endpoints.error} />
      ) : endpoints.data.items.length === 0 ? (
        <Empty>{t('webhooks.empty')}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                {[t('webhooks.url'), t('webhooks.events'), t('common.status'), t('webhooks.failingSince'), t('common.actions')].map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {endpoints.data.items.map((endpoint) => (
                <Table.Tr key={endpoint.id}>
                  <Table.Td style={{ wordBreak: 'break-all' }} translate="no">
                    {endpoint.url}
                  </Table.Td>
                  <Table.Td translate="no">{endpoint.eventTypes.join(', ')}</Table.Td>
                  <Table.Td>
                    <Badge color={endpoint.status === 'enabled' ? 'teal' : 'red'}>{nameOf(t, 'statuses', endpoint.status)}</Badge>
                  </Table.Td>
                  <Table.Td>{formatTime(endpoint.failingSince)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setShown(endpoint.id)} aria-label={t('webhooks.deliveriesTo', { url: endpoint.url })}>
                        {t('webhooks.deliveries')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => rotate.mutate(endpoint.id)} loading={rotate.isPending && rotate.variables === endpoint.id} aria-label={t('webhooks.rotateOf', { url: endpoint.url })}>
                        {t('webhooks.rotate')}
                      </Button>
                      <Button size="xs" variant="outline" onClick={() => update.mutate({ id: endpoint.id, enabled: endpoint.status !== 'enabled' })} aria-label={endpoint.status === 'enabled' ? t('webhooks.disableOf', { url: endpoint.url }) : t('webhooks.enableOf', { url: endpoint.url })}>
                        {endpoint.status === 'enabled' ? t('common.disable') : t('common.enable')}
                      </Button>
                      <Button size="xs" color="red" variant="outline" onClick={() => remove.mutate(endpoint.id)} aria-label={t('webhooks.deleteOf', { url: endpoint.url })}>
                        {t('common.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {shown && <Deliveries id={shown} />}
    </Stack>
  );
}

function Deliveries({ id }: { id: string }) {
  const t = useT();
  const queries = useQueryClient();
  const deliveries = useQuery({ queryKey: ['webhook-deliveries', id], queryFn: () => api<WebhookDeliveryList>('GET', path(id, '/deliveries')) });
  const again = useMutation({
    mutationFn: (delivery: number) => api<WebhookDeliveryDto>('POST', path(id, `/deliveries/${delivery}/send-again`)),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['webhook-deliveries', id] }),
  });
  return (
    <section aria-labelledby="deliveries-title">
      <Title order={3} size="h4" id="deliveries-title" mb="xs">
        {t('webhooks.deliveries')}
      </Title>
      <ErrorNote error={again.error} />
      {deliveries.isPending ? (
        <Loading />
      ) : deliveries.error ? (
        <ErrorNote error={deliveries.error} />
      ) : deliveries.data.items.length === 0 ? (
        <Empty>{t('webhooks.noDeliveries')}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                {[t('webhooks.event'), t('common.status'), t('webhooks.attempts'), t('webhooks.answer'), t('webhooks.lastChange'), t('common.actions')].map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.data.items.map((delivery) => (
                <Table.Tr key={delivery.id}>
                  <Table.Td translate="no">{delivery.type}</Table.Td>
                  <Table.Td>
                    <Badge color={delivery.status === 'delivered' ? 'teal' : delivery.status === 'failed' ? 'red' : 'gray'}>{nameOf(t, 'statuses', delivery.status)}</Badge>
                  </Table.Td>
                  <Table.Td>{delivery.attempts}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{delivery.answerStatus ?? '—'}</Text>
                    {delivery.error && (
                      <Text size="xs" c="gray.7" lang="en" translate="no">
                        {delivery.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatTime(delivery.finishedAt ?? delivery.nextAttemptAt ?? delivery.createdAt)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => again.mutate(delivery.id)} loading={again.isPending && again.variables === delivery.id} aria-label={t('webhooks.sendAgainOf', { id: delivery.id })}>
                      {t('webhooks.sendAgain')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
