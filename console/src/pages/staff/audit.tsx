import { Alert, Button, Code, Group, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, query } from '../../api/client';
import type { AuditEventDtoPage, ChainVerdictDto } from '../../api/schema';
import { ExportLink } from '../../components/export-link';
import { ErrorNote } from '../../components/feedback';
import { Named } from '../../components/named';
import { PagedTable } from '../../components/paged-table';
import { usePage } from '../../components/paging';
import { formatCount, formatTime } from '../../format';

export function AuditPage() {
  const paging = usePage();
  const events = useQuery({ queryKey: ['audit', paging.offset], queryFn: () => api<AuditEventDtoPage>('GET', `/v1/audit${query({ limit: paging.limit, offset: paging.offset })}`) });
  const verify = useMutation({ mutationFn: () => api<ChainVerdictDto>('GET', '/v1/audit/verify') });
  const verdict = verify.data;
  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Group>
        <Button onClick={() => verify.mutate()} loading={verify.isPending} w="fit-content">
          Verify chain
        </Button>
        <ExportLink path="/v1/audit/export" label="Export the log (CSV)" />
      </Group>
      <ErrorNote error={verify.error} />
      {verdict && (
        <Alert color={verdict.ok ? 'teal' : 'red'} variant="outline" title={verdict.ok ? 'The chain holds' : 'The chain is broken'} data-testid="verdict">
          {formatCount(verdict.events)} events, {formatCount(verdict.checkpoints)} signed checkpoints, signed through event {verdict.signedThrough}.
          {!verdict.ok && ` Broken at event ${verdict.brokenAt}: ${verdict.reason}`}
        </Alert>
      )}
      <PagedTable
        list={events}
        paging={paging}
        minWidth={720}
        columns={['#', 'When', 'Action', 'Actor', 'Customer', 'Subject', 'Data']}
        secondary={['#', 'Customer', 'Subject', 'Data']}
        empty={<>No events yet: every change (an application, an approval, an activation) is recorded here.</>}
        rowKey={(event) => event.seq}
        cells={(event) => (
          <>
            <Table.Td data-secondary>{event.seq}</Table.Td>
            <Table.Td>{formatTime(event.at)}</Table.Td>
            <Table.Td>{event.action}</Table.Td>
            <Table.Td>
              <Named name={event.actorName} id={event.actor} what="actor" />
            </Table.Td>
            <Table.Td data-secondary>{event.customerName ?? '—'}</Table.Td>
            <Table.Td data-secondary>{event.subject}</Table.Td>
            <Table.Td data-secondary>
              <Code>{JSON.stringify(event.data)}</Code>
            </Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
