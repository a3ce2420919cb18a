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
import { useT } from '../../i18n';
import { nameOf } from '../../i18n/names';

type Role = InviteUserDto['role'];
const ROLES: Role[] = ['admin', 'issuer', 'auditor', 'customer'];

export function UsersPage() {
  const t = useT();
  return (
    <Stack>
      <Title order={2}>{t('users.title')}</Title>
      <Users />
      <Tokens />
    </Stack>
  );
}

function PrincipalFields(props: { role: Role; setRole: (role: Role) => void; customerId: string; setCustomerId: (id: string) => void }) {
  const t = useT();
  return (
    <>
      <Select label={t('common.role')} data={ROLES.map((role) => ({ value: role, label: nameOf(t, 'roles', role) }))} value={props.role} onChange={(value) => value && props.setRole(value as Role)} allowDeselect={false} />
      {props.role === 'customer' && <CustomerPicker value={props.customerId} onChange={props.setCustomerId} />}
    </>
  );
}

function Users() {
  const t = useT();
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
        {t('users.people')}
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <Group align="end">
          <TextInput label={t('common.email')} type="email" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} />
          <TextInput label={t('common.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} />
          <PrincipalFields role={role} setRole={setRole} customerId={customerId} setCustomerId={setCustomerId} />
          <Button type="submit" loading={invite.isPending}>
            {t('users.invite')}
          </Button>
        </Group>
      </form>
      <ErrorNote error={invite.error} />
      {invite.data && <Secret label={t('users.inviteLink', { when: formatTime(invite.data.inviteExpiresAt) })} value={`${window.location.origin}/accept-invite?invite=${encodeURIComponent(invite.data.invite)}`} />}
      <ErrorNote error={disable.error} />
      <PagedTable
        list={users}
        paging={paging}
        minWidth={640}
        columns={[t('common.name'), t('common.email'), t('common.role'), t('common.customer'), t('common.status'), t('common.actions')]}
        empty={t('users.noPeople')}
        cells={(user) => (
          <>
            <Table.Td translate="no">{user.name ?? '—'}</Table.Td>
            <Table.Td translate="no">{user.email}</Table.Td>
            <Table.Td>{nameOf(t, 'roles', user.role)}</Table.Td>
            <Table.Td>{user.customerId ? <Named name={user.customerName} id={user.customerId} what="customer" /> : '—'}</Table.Td>
            <Table.Td>
              <Badge color={user.status === 'active' ? 'teal' : user.status === 'disabled' ? 'red' : 'gray'}>{nameOf(t, 'statuses', user.status)}</Badge>
            </Table.Td>
            <Table.Td>
              {user.status !== 'disabled' && (
                <Button size="xs" color="red" variant="outline" onClick={() => disable.mutate(user.id)} loading={disable.isPending && disable.variables === user.id} aria-label={t('users.disableOf', { email: user.email })}>
                  {t('common.disable')}
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
  const t = useT();
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
        {t('users.tokens')}
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Group align="end">
          <TextInput label={t('users.purpose')} value={name} onChange={(event) => setName(event.currentTarget.value)} />
          <PrincipalFields role={role} setRole={setRole} customerId={customerId} setCustomerId={setCustomerId} />
          <Button type="submit" loading={create.isPending}>
            {t('users.createToken')}
          </Button>
        </Group>
      </form>
      <ErrorNote error={create.error} />
      {create.data && <Secret label={t('users.token')} value={create.data.token} />}
      <ErrorNote error={revoke.error} />
      <PagedTable
        list={tokens}
        paging={paging}
        minWidth={640}
        columns={[t('common.name'), t('common.role'), t('common.created'), t('users.revokedAt'), t('common.actions')]}
        empty={t('users.noTokens')}
        cells={(token) => (
          <>
            <Table.Td>
              <Named name={token.name || null} id={token.id} what="token" />
            </Table.Td>
            <Table.Td>{nameOf(t, 'roles', token.role)}</Table.Td>
            <Table.Td>{formatTime(token.createdAt)}</Table.Td>
            <Table.Td>{formatTime(token.revokedAt)}</Table.Td>
            <Table.Td>
              {!token.revokedAt && (
                <Button size="xs" color="red" variant="outline" onClick={() => revoke.mutate(token.id)} loading={revoke.isPending && revoke.variables === token.id} aria-label={t('users.revokeOf', { name: token.name || token.id })}>
                  {t('common.revoke')}
                </Button>
              )}
            </Table.Td>
          </>
        )}
      />
    </section>
  );
}
