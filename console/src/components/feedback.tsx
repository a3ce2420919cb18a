import { Alert, Center, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

/** A failure as the server stated it: its message and its contract code. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="outline" title={`Failed: ${code}`} role="alert" data-testid="error">
      {message}
    </Alert>
  );
}

export function Loading() {
  return (
    <Center p="lg">
      <Loader aria-label="Loading" />
    </Center>
  );
}

/** What to do next when a list is empty. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="gray.7" p="md" data-testid="empty">
      {children}
    </Text>
  );
}
