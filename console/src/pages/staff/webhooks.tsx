import { Badge, Button, Group, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { type CreateWebhookDto, type UpdateWebhookDto, type WebhookDeliveryDto, type WebhookDeliveryList, type WebhookEndpointDto, type WebhookEndpointList, type WebhookEndpointWithSecretDto, WebhookEventType } from '../../api/schema';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Secret } from '../../components/secret';
import { formatTime } from '../../format';

const path = (id: string, rest = '') => `/v1/webhooks/${encodeURIComponent(id)}${rest}`;

/** Admin only: where events are posted, each endpoint's secret (shown once) and its delivery log. */
export function WebhooksPage() {
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
      <Title order={2}>Webhooks</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Group align="end">
          <TextInput label="URL" type="url" required placeholder="https://erp.example.com/seatlock" value={url} onChange={(event) => setUrl(event.currentTarget.value)} miw={320} />
          <MultiSelect label="Events" data={[...WebhookEventType]} value={eventTypes} onChange={setEventTypes} searchable required miw={320} />
          <Button type="submit" loading={create.isPending}>
            Add endpoint
          </Button>
        </Group>
      </form>
      <ErrorNote error={create.error ?? rotate.error ?? update.error ?? remove.error} />
      {secret && <Secret label={`Signing secret of ${secret.url}`} value={secret.secret} />}
      {endpoints.isPending ? (
        <Loading />
      ) : endpoints.error ? (
        <ErrorNote error={endpoints.error} />
      ) : endpoints.data.items.length === 0 ? (
        <Empty>No endpoints yet: add one above to have orders, pools and activations posted to your systems.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                {['URL', 'Events', 'Status', 'Failing since', 'Actions'].map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {endpoints.data.items.map((endpoint) => (
                <Table.Tr key={endpoint.id}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{endpoint.url}</Table.Td>
                  <Table.Td>{endpoint.eventTypes.join(', ')}</Table.Td>
                  <Table.Td>
                    <Badge color={endpoint.status === 'enabled' ? 'teal' : 'red'}>{endpoint.status}</Badge>
                  </Table.Td>
                  <Table.Td>{formatTime(endpoint.failingSince)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setShown(endpoint.id)} aria-label={`Deliveries to ${endpoint.url}`}>
                        Deliveries
                      </Button>
                      <Button size="xs" variant="default" onClick={() => rotate.mutate(endpoint.id)} loading={rotate.isPending && rotate.variables === endpoint.id} aria-label={`Rotate the secret of ${endpoint.url}`}>
                        Rotate secret
                      </Button>
                      <Button size="xs" variant="outline" onClick={() => update.mutate({ id: endpoint.id, enabled: endpoint.status !== 'enabled' })} aria-label={`${endpoint.status === 'enabled' ? 'Disable' : 'Enable'} ${endpoint.url}`}>
                        {endpoint.status === 'enabled' ? 'Disable' : 'Enable'}
                      </Button>
                      <Button size="xs" color="red" variant="outline" onClick={() => remove.mutate(endpoint.id)} aria-label={`Delete ${endpoint.url}`}>
                        Delete
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
  const queries = useQueryClient();
  const deliveries = useQuery({ queryKey: ['webhook-deliveries', id], queryFn: () => api<WebhookDeliveryList>('GET', path(id, '/deliveries')) });
  const again = useMutation({
    mutationFn: (delivery: number) => api<WebhookDeliveryDto>('POST', path(id, `/deliveries/${delivery}/send-again`)),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['webhook-deliveries', id] }),
  });
  return (
    <section aria-labelledby="deliveries-title">
      <Title order={3} size="h4" id="deliveries-title" mb="xs">
        Deliveries
      </Title>
      <ErrorNote error={again.error} />
      {deliveries.isPending ? (
        <Loading />
      ) : deliveries.error ? (
        <ErrorNote error={deliveries.error} />
      ) : deliveries.data.items.length === 0 ? (
        <Empty>Nothing was sent to this endpoint yet.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                {['Event', 'Status', 'Attempts', 'Answer', 'Last change', 'Actions'].map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {deliveries.data.items.map((delivery) => (
                <Table.Tr key={delivery.id}>
                  <Table.Td>{delivery.type}</Table.Td>
                  <Table.Td>
                    <Badge color={delivery.status === 'delivered' ? 'teal' : delivery.status === 'failed' ? 'red' : 'gray'}>{delivery.status}</Badge>
                  </Table.Td>
                  <Table.Td>{delivery.attempts}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{delivery.answerStatus ?? '—'}</Text>
                    {delivery.error && (
                      <Text size="xs" c="gray.7">
                        {delivery.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatTime(delivery.finishedAt ?? delivery.nextAttemptAt ?? delivery.createdAt)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => again.mutate(delivery.id)} loading={again.isPending && again.variables === delivery.id} aria-label={`Send delivery ${delivery.id} again`}>
                      Send again
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
