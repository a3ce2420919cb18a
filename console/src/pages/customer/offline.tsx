import { Badge, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { type DragEvent, useState } from 'react';
import { ApiError, apiText } from '../../api/client';
import { download } from '../../format';

interface FileResult {
  name: string;
  state: 'working' | 'licensed' | 'failed';
  license?: string;
  error?: string;
}

/**
 * Activation request files written by `seatlock-agent request` on boards without a network:
 * each is sent as it is and answered with its license, or the server's reason.
 */
export function OfflinePage() {
  const [results, setResults] = useState<FileResult[]>([]);
  const [dragging, setDragging] = useState(false);

  const activate = async (files: File[]) => {
    setResults(files.map((file) => ({ name: file.name, state: 'working' })));
    for (const [index, file] of files.entries()) {
      let result: FileResult;
      try {
        result = { name: file.name, state: 'licensed', license: await apiText('/v1/activations/offline', await file.text()) };
      } catch (error) {
        result = { name: file.name, state: 'failed', error: error instanceof ApiError ? `${error.code}: ${error.message}` : String(error) };
      }
      setResults((all) => all.map((old, at) => (at === index ? result : old)));
    }
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void activate([...event.dataTransfer.files]);
  };

  return (
    <Stack>
      <Title order={2}>Offline activation</Title>
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
          <Text>Drop activation request files here, or choose them.</Text>
          <label>
            <Text component="span" size="sm" mr="xs">
              Request files
            </Text>
            <input type="file" multiple data-testid="request-files" onChange={(event) => void activate([...(event.currentTarget.files ?? [])])} />
          </label>
        </Stack>
      </Paper>
      {results.length > 0 && (
        <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>License</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.map((result) => (
                <Table.Tr key={result.name}>
                  <Table.Td>{result.name}</Table.Td>
                  <Table.Td>
                    <Badge color={result.state === 'licensed' ? 'teal' : result.state === 'failed' ? 'red' : 'gray'}>{result.state}</Badge> {result.error}
                  </Table.Td>
                  <Table.Td>
                    {result.license && (
                      <Button size="xs" variant="default" onClick={() => download(`${result.name.replace(/\.[^.]*$/, '')}.license`, result.license as string)}>
                        Download license
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
