import { Badge, Button, Group, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '../../api/client';
import type { CreatedTokenDto, CreateTokenDto, InviteDto, InviteUserDto, TokenDto, TokenDtoPage, UserDto, ListedUserDtoPage } from '../../api/schema';
import { ErrorNote } from '../../components/feedback';
import { CustomerPicker, Named } from '../../components/named';
import { PagedTable } from '../../components/paged-table';
import { Secret } from '../../components/secret';
import { usePage } from '../../components/paging';
import { formatTime } from '../../format';

type Role = InviteUserDto['role'];
const ROLES: Role[] = ['admin', 'issuer', 'auditor', 'customer'];

export function UsersPage() {
  return (
    <Stack>
      <Title order={2}>Users and tokens</Title>
      <Users />
      <Tokens />
    </Stack>
  );
}

function PrincipalFields(props: { role: Role; setRole: (role: Role) => void; customerId: string; setCustomerId: (id: string) => void }) {
  return (
    <>
      <Select label="Role" data={ROLES} value={props.role} onChange={(value) => value && props.setRole(value as Role)} allowDeselect={false} />
      {props.role === 'customer' && <CustomerPicker value={props.customerId} onChange={props.setCustomerId} />}
    </>
  );
}

function Users() {
  const queries = useQueryClient();
  const paging = usePage();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('customer');
  const [customerId, setCustomerId] = useState('');
  const users = useQuery({ queryKey: ['users', paging.offset], queryFn: () => api<ListedUserDtoPage>('GET', `/v1/users${query({ limit: paging.limit, offset: paging.offset })}`) });
  const invite = useMutation({
    mutationFn: () => api<InviteDto>('POST', '/v1/users', { email, name: name.trim() || undefined, role, customerId: role === 'customer' ? customerId : undefined } satisfies InviteUserDto),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['users'] }),
  });
  const disable = useMutation({ mutationFn: (id: string) => api<UserDto>('POST', `/v1/users/${encodeURIComponent(id)}/disable`), onSuccess: () => queries.invalidateQueries({ queryKey: ['users'] }) });
  return (
    <section aria-labelledby="users-title">
      <Title order={3} size="h4" id="users-title" mb="xs">
        People
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <Group align="end">
          <TextInput label="Email" type="email" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} />
          <TextInput label="Name" value={name} onChange={(event) => setName(event.currentTarget.value)} />
          <PrincipalFields role={role} setRole={setRole} customerId={customerId} setCustomerId={setCustomerId} />
          <Button type="submit" loading={invite.isPending}>
            Invite
          </Button>
        </Group>
      </form>
      <ErrorNote error={invite.error} />
      {invite.data && <Secret label={`Invite link, valid until ${formatTime(invite.data.inviteExpiresAt)}`} value={`${window.location.origin}/accept-invite?invite=${encodeURIComponent(invite.data.invite)}`} />}
      <ErrorNote error={disable.error} />
      <PagedTable
        list={users}
        paging={paging}
        minWidth={640}
        columns={['Name', 'Email', 'Role', 'Customer', 'Status', 'Actions']}
        empty={
          <>No people yet: invite one above.</>
        }
        cells={(user) => (
          <>
            <Table.Td>{user.name ?? '—'}</Table.Td>
            <Table.Td>{user.email}</Table.Td>
            <Table.Td>{user.role}</Table.Td>
            <Table.Td>{user.customerId ? <Named name={user.customerName} id={user.customerId} what="customer" /> : '—'}</Table.Td>
            <Table.Td>
              <Badge color={user.status === 'active' ? 'teal' : user.status === 'disabled' ? 'red' : 'gray'}>{user.status}</Badge>
            </Table.Td>
            <Table.Td>
              {user.status !== 'disabled' && (
                <Button size="xs" color="red" variant="outline" onClick={() => disable.mutate(user.id)} loading={disable.isPending && disable.variables === user.id} aria-label={`Disable ${user.email}`}>
                  Disable
                </Button>
              )}
            </Table.Td>
          </>
        )}
      />
    </section>
  );
}

function Tokens() {
  const queries = useQueryClient();
  const paging = usePage();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('issuer');
  const [customerId, setCustomerId] = useState('');
  const tokens = useQuery({ queryKey: ['tokens', paging.offset], queryFn: () => api<TokenDtoPage>('GET', `/v1/tokens${query({ limit: paging.limit, offset: paging.offset })}`) });
  const create = useMutation({
    mutationFn: () => api<CreatedTokenDto>('POST', '/v1/tokens', { role, name: name || undefined, customerId: role === 'customer' ? customerId : undefined } satisfies CreateTokenDto),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const revoke = useMutation({ mutationFn: (id: string) => api<TokenDto>('DELETE', `/v1/tokens/${encodeURIComponent(id)}`), onSuccess: () => queries.invalidateQueries({ queryKey: ['tokens'] }) });
  return (
    <section aria-labelledby="tokens-title">
      <Title order={3} size="h4" id="tokens-title" mb="xs">
        API tokens
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Group align="end">
          <TextInput label="What it is for" value={name} onChange={(event) => setName(event.currentTarget.value)} />
          <PrincipalFields role={role} setRole={setRole} customerId={customerId} setCustomerId={setCustomerId} />
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Group>
      </form>
      <ErrorNote error={create.error} />
      {create.data && <Secret label="Token" value={create.data.token} />}
      <ErrorNote error={revoke.error} />
      <PagedTable
        list={tokens}
        paging={paging}
        minWidth={640}
        columns={['Name', 'Role', 'Created', 'Revoked', 'Actions']}
        empty={
          <>No tokens yet: create one above for a script or a factory line.</>
        }
        cells={(token) => (
          <>
            <Table.Td>
              <Named name={token.name || null} id={token.id} what="token" />
            </Table.Td>
            <Table.Td>{token.role}</Table.Td>
            <Table.Td>{formatTime(token.createdAt)}</Table.Td>
            <Table.Td>{formatTime(token.revokedAt)}</Table.Td>
            <Table.Td>
              {!token.revokedAt && (
                <Button size="xs" color="red" variant="outline" onClick={() => revoke.mutate(token.id)} loading={revoke.isPending && revoke.variables === token.id} aria-label={`Revoke token ${token.name || token.id}`}>
                  Revoke
                </Button>
              )}
            </Table.Td>
          </>
        )}
      />
    </section>
  );
}
