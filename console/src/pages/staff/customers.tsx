import { Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../api/client';
import type { CreateCustomerDto, CustomerDto, CustomerDtoPage } from '../../api/schema';
import { ErrorNote } from '../../components/feedback';
import { PagedTable } from '../../components/paged-table';
import { usePage } from '../../components/paging';
import { formatTime } from '../../format';
import { useT } from '../../i18n';
import { useMe } from '../../session';

export function CustomersPage() {
  const t = useT();
  const me = useMe();
  const queries = useQueryClient();
  const paging = usePage();
  const [name, setName] = useState('');
  const customers = useQuery({ queryKey: ['customers', paging.offset], queryFn: () => api<CustomerDtoPage>('GET', `/v1/customers${query({ limit: paging.limit, offset: paging.offset })}`) });
  const create = useMutation({
    mutationFn: () => api<CustomerDto>('POST', '/v1/customers', { name } satisfies CreateCustomerDto),
    onSuccess: () => {
      setName('');
      return queries.invalidateQueries({ queryKey: ['customers'] });
    },
  });
  return (
    <Stack>
      <Title order={2}>{t('customers.title')}</Title>
      {me.data?.role !== 'auditor' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Group align="end">
            <TextInput label={t('customers.newName')} required value={name} onChange={(event) => setName(event.currentTarget.value)} />
            <Button type="submit" loading={create.isPending}>
              {t('customers.create')}
            </Button>
          </Group>
          <ErrorNote error={create.error} />
        </form>
      )}
      <PagedTable
        list={customers}
        paging={paging}
        minWidth={480}
        columns={[t('common.name'), t('customers.id'), t('common.created')]}
        empty={t('customers.empty')}
        cells={(customer) => (
          <>
            <Table.Td translate="no">{customer.name}</Table.Td>
            <Table.Td style={{ fontFamily: 'monospace' }} translate="no">{customer.id}</Table.Td>
            <Table.Td>{formatTime(customer.createdAt)}</Table.Td>
          </>
        )}
      />
    </Stack>
  );
}
