import { Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../api/client';
import type { CreateCustomerDto, CustomerDto, CustomerDtoPage } from '../../api/schema';
import { Empty, ErrorNote, Loading } from '../../components/feedback';
import { Pager, usePage } from '../../components/paging';
import { formatTime } from '../../format';
import { useMe } from '../../session';

export function CustomersPage() {
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
      <Title order={2}>Customers</Title>
      {me.data?.role !== 'auditor' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Group align="end">
            <TextInput label="New customer's name" required value={name} onChange={(event) => setName(event.currentTarget.value)} />
            <Button type="submit" loading={create.isPending}>
              Create customer
            </Button>
          </Group>
          <ErrorNote error={create.error} />
        </form>
      )}
      {customers.isPending ? (
        <Loading />
      ) : customers.error ? (
        <ErrorNote error={customers.error} />
      ) : customers.data.items.length === 0 ? (
        <Empty>No customers yet: create one above, then invite its people from Users and tokens.</Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Id</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {customers.data.items.map((customer) => (
                  <Table.Tr key={customer.id}>
                    <Table.Td>{customer.name}</Table.Td>
                    <Table.Td style={{ fontFamily: 'monospace' }}>{customer.id}</Table.Td>
                    <Table.Td>{formatTime(customer.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager page={paging.page} setPage={paging.setPage} total={customers.data.total} />
        </>
      )}
    </Stack>
  );
}
