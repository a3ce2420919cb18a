import { ActionIcon, CopyButton, Group, Select, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../api/client';
import type { CustomerDtoPage } from '../api/schema';
import { useT } from '../i18n';

/** What a named thing is, in the copy button's words. */
export type NamedKind = 'device' | 'customer' | 'actor' | 'submitter' | 'token';

/**
 * A thing shown by its name, with its id one click away: the button copies the id. Without a name
 * (a deleted person, an event of a device) the id itself is shown.
 */
export function Named({ name, id, what }: { name: string | null | undefined; id: string; what: NamedKind }) {
  const t = useT();
  const kind = t(`named.what.${what}`);
  return (
    <Group gap={4} wrap="nowrap" component="span" display="inline-flex">
      <Text span inherit data-testid="name" title={id} translate="no">
        {name ?? id}
      </Text>
      <CopyButton value={id}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.copied') : t('named.copy', { what: kind })} withArrow>
            <ActionIcon size="xs" variant="subtle" color="gray.8" onClick={copy} aria-label={copied ? t('named.copiedId', { what: kind }) : t('named.copyOf', { what: kind, name: name ?? id })}>
              <CopyIcon copied={copied} />
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** Two overlapping sheets, or a tick once copied; drawn, so the name's text stays the name alone. */
function CopyIcon({ copied }: { copied: boolean }) {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      {copied ? <path d="M3 8.5l3 3 7-7" /> : <path d="M5 5V2.5h8.5V11H11M2.5 5H11v8.5H2.5z" />}
    </svg>
  );
}

/**
 * A customer filter that takes a name: it suggests customers whose name contains what is typed
 * (the server's `search`), and hands the chosen customer's id to `onChange` ('' for all).
 */
export function CustomerPicker({ value, onChange }: { value: string; onChange: (customerId: string) => void }) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const [search] = useDebouncedValue(typed.trim(), 200);
  const found = useQuery({
    queryKey: ['customers', 'search', search],
    queryFn: () => api<CustomerDtoPage>('GET', `/v1/customers${query({ search: search || undefined, limit: 10 })}`),
  });
  return (
    <Select
      label={t('common.customer')}
      placeholder={t('named.customerPlaceholder')}
      searchable
      clearable
      searchValue={typed}
      onSearchChange={setTyped}
      value={value || null}
      data={(found.data?.items ?? []).map((customer) => ({ value: customer.id, label: customer.name }))}
      // The server already matched the names; the list keeps every suggestion it sent.
      filter={({ options }) => options}
      nothingFoundMessage={t('named.noCustomer')}
      onChange={(id) => onChange(id ?? '')}
      maw={420}
    />
  );
}
