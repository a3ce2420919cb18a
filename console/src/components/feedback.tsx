import { Alert, Center, Code, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { currentLanguage, useT } from '../i18n';
import { errorSentence } from '../i18n/names';

/** The contract code of a failure: the server's, or a network failure, or a fault of the page. */
export function codeOf(error: unknown): string {
  return error instanceof ApiError ? error.code : 'INTERNAL_ERROR';
}

/**
 * A failure as a sentence for its contract code, the code itself (what support asks for), and the
 * server's own words: shown in English, folded away in other languages (they are the server's English).
 */
export function ErrorNote({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="outline" title={t('errors.title', { sentence: errorSentence(t, code) })} role="alert" data-testid="error">
      <Code translate="no">{code}</Code>{' '}
      {currentLanguage() === 'en' ? (
        message
      ) : (
        <Text component="details" size="sm" display="inline">
          <summary>{t('errors.detail')}</summary>
          <span lang="en" translate="no">
            {message}
          </span>
        </Text>
      )}
    </Alert>
  );
}

export function Loading() {
  const t = useT();
  return (
    <Center p="lg">
      <Loader aria-label={t('common.loading')} />
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
