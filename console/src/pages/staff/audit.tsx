import { Alert, Button, Code, Stack, Table, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, query } from '../../api/client';
import type { AuditEventDtoPage, ChainVerdictDto } from '../../api/schema';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Pager, usePage } from '../../components/paging';
import { formatCount, formatTime } from '../../format';

export function AuditPage() {
  const paging = usePage();
  const events = useQuery({ queryKey: ['audit', paging.offset], queryFn: () => api<AuditEventDtoPage>('GET', `/v1/audit${query({ limit: paging.limit, offset: paging.offset })}`) });
  const verify = useMutation({ mutationFn: () => api<ChainVerdictDto>('GET', '/v1/audit/verify') });
  const verdict = verify.data;
  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Button onClick={() => verify.mutate()} loading={verify.isPending} w="fit-content">
        Verify chain
      </Button>
      <ErrorNote error={verify.error} />
      {verdict && (
        <Alert color={verdict.ok ? 'teal' : 'red'} variant="outline" title={verdict.ok ? 'The chain holds' : 'The chain is broken'} data-testid="verdict">
          {formatCount(verdict.events)} events, {formatCount(verdict.checkpoints)} signed checkpoints, signed through event {verdict.signedThrough}.
          {!verdict.ok && ` Broken at event ${verdict.brokenAt}: ${verdict.reason}`}
        </Alert>
      )}
      {events.isPending ? (
        <Loading />
      ) : events.error ? (
        <ErrorNote error={events.error} />
      ) : events.data.items.length === 0 ? (
        <Empty>No events yet: every change (an application, an approval, an activation) is recorded here.</Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={720} type="native" tabIndex={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Data</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.data.items.map((event) => (
                  <Table.Tr key={event.seq}>
                    <Table.Td>{event.seq}</Table.Td>
                    <Table.Td>{formatTime(event.at)}</Table.Td>
                    <Table.Td>{event.action}</Table.Td>
                    <Table.Td>{event.actor}</Table.Td>
                    <Table.Td>{event.subject}</Table.Td>
                    <Table.Td>
                      <Code>{JSON.stringify(event.data)}</Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={paging.page} setPage={paging.setPage} total={events.data.total} />
        </>
      )}
    </Stack>
  );
}
