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
import { useT } from '../../i18n';

export function AuditPage() {
  const t = useT();
  const paging = usePage();
  const events = useQuery({ queryKey: ['audit', paging.offset], queryFn: () => api<AuditEventDtoPage>('GET', `/v1/audit${query({ limit: paging.limit, offset: paging.offset })}`) });
  const verify = useMutation({ mutationFn: () => api<ChainVerdictDto>('GET', '/v1/audit/verify') });
  const verdict = verify.data;
  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <Group>
        <Button onClick={() => verify.mutate()} loading={verify.isPending} w="fit-content">
          {t('audit.verify')}
        </Button>
        <ExportLink path="/v1/audit/export" label={t('audit.export')} />
      </Group>
      <ErrorNote error={verify.error} />
      {verdict && (
        <Alert color={verdict.ok ? 'teal' : 'red'} variant="outline" title={verdict.ok ? t('audit.holds') : t('audit.broken')} data-testid="verdict">
          {t('audit.verdict', { events: formatCount(verdict.events), checkpoints: formatCount(verdict.checkpoints), signedThrough: verdict.signedThrough })}
          {!verdict.ok && (
            <>
              {t('audit.brokenAt', { at: verdict.brokenAt })}
              <span lang="en" translate="no">
                {verdict.reason}
              </span>
            </>
          )}
        </Alert>
      )}
      <PagedTable
        list={events}
        paging={paging}
        minWidth={720}
        columns={[t('audit.seq'), t('audit.when'), t('audit.action'), t('audit.actor'), t('common.customer'), t('audit.subject'), t('audit.data')]}
        secondary={[t('audit.seq'), t('common.customer'), t('audit.subject'), t('audit.data')]}
        empty={t('audit.empty')}
        rowKey={(event) => event.seq}
        cells={(event) => (
          <>
            <Table.Td data-secondary>{event.seq}</Table.Td>
            <Table.Td>{formatTime(event.at)}</Table.Td>
            <Table.Td>
              <Code translate="no">{event.action}</Code>
            </Table.Td>
            <Table.Td>
              <Named name={event.actorName} id={event.actor} what="actor" />
            </Table.Td>
            <Table.Td data-secondary translate="no">
              {event.customerName ?? '—'}
            </Table.Td>
            <Table.Td data-secondary translate="no">
              {event.subject}
            </Table.Td>
            <Table.Td data-secondary>
              <Code translate="no">{JSON.stringify(event.data)}</Code>
            </Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
