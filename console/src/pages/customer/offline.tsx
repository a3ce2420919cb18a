import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useState } from 'react';
import { apiText } from '../../api/client';
import { codeOf } from '../../components/feedback';
import { download, formatCount } from '../../format';
import { useT } from '../../i18n';
import { errorSentence, nameOf } from '../../i18n/names';

interface FileResult {
  /** Two drops may hold files of the same name. */
  id: string;
  name: string;
  state: 'working' | 'licensed' | 'failed';
  license?: string;
  /** The contract code of a refusal, shown as a sentence in the chosen language. */
  error?: string;
}

const OFFLINE_RESULTS = ['offline-results'];

/**
 * Activation request files written by `seatlock-agent request` on boards without a network:
 * each is sent as it is and answered with its license, or the server's reason.
 */
export function OfflinePage() {
  const t = useT();
  const queries = useQueryClient();
  // Kept in the query cache, not the page: the results outlive leaving the page, until dismissed
  // or the session ends (which clears the cache).
  const results = useQuery({ queryKey: OFFLINE_RESULTS, queryFn: () => [] as FileResult[], staleTime: Infinity, gcTime: Infinity }).data ?? [];
  const setResults = (change: (all: FileResult[]) => FileResult[]) => queries.setQueryData<FileResult[]>(OFFLINE_RESULTS, (all) => change(all ?? []));
  const [dragging, setDragging] = useState(false);
  const licensed = results.filter((result) => result.license);

  const activate = async (files: File[]) => {
    const batch = files.map((file) => ({ id: `${Date.now()}-${Math.random()}`, name: file.name, state: 'working' as const }));
    setResults((all) => [...all, ...batch]);
    for (const [index, file] of files.entries()) {
      let result: FileResult;
      try {
        result = { ...batch[index], state: 'licensed', license: await apiText('/v1/activations/offline', await file.text()) };
      } catch (error) {
        result = { ...batch[index], state: 'failed', error: codeOf(error) };
      }
      setResults((all) => all.map((old) => (old.id === result.id ? result : old)));
    }
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void activate([...event.dataTransfer.files]);
  };

  return (
    <Stack>
      <Title order={2}>{t('offline.title')}</Title>
      <Paper
        withBorder
        p="xl"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        bg={dragging ? 'var(--mantine-color-blue-light)' : undefined}
        style={{ borderStyle: 'dashed', textAlign: 'center' }}
      >
        <Stack align="center">
          <Text>{t('offline.drop')}</Text>
          <label>
            <Text component="span" size="sm" mr="xs">
              {t('offline.files')}
            </Text>
            <input type="file" multiple data-testid="request-files" onChange={(event) => void activate([...(event.currentTarget.files ?? [])])} />
          </label>
        </Stack>
      </Paper>
      {results.length > 0 && (
        <Group>
          <Button variant="default" disabled={licensed.length === 0} onClick={() => download('offline.licenses', licensed.map((result) => result.license).join(''))}>
            {t('offline.downloadAll', { number: formatCount(licensed.length) })}
          </Button>
          <Button variant="subtle" onClick={() => setResults(() => [])}>
            {t('offline.dismiss')}
          </Button>
        </Group>
      )}
      {results.length > 0 && (
        <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('offline.file')}</Table.Th>
                <Table.Th>{t('offline.result')}</Table.Th>
                <Table.Th>{t('common.license')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.map((result) => (
                <Table.Tr key={result.id}>
                  <Table.Td translate="no">{result.name}</Table.Td>
                  <Table.Td>
                    <Badge color={result.state === 'licensed' ? 'teal' : result.state === 'failed' ? 'red' : 'gray'}>{nameOf(t, 'statuses', result.state)}</Badge>{' '}
                    {result.error && (
                      <>
                        {errorSentence(t, result.error)} <Code translate="no">{result.error}</Code>
                      </>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {result.license && (
                      <Button size="xs" variant="default" onClick={() => download(`${result.name.replace(/\.[^.]*$/, '')}.license`, result.license as string)}>
                        {t('common.downloadLicense')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
