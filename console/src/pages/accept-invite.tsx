import { Anchor, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { AcceptInviteDto, UserDto } from '../api/schema';
import { ErrorNote } from '../components/feedback';
import { Link, useLocation } from '../router';

/** `/accept-invite?invite=…`: the invited person sets a password, then signs in. */
export function AcceptInvitePage() {
  const { search } = useLocation();
  const [invite, setInvite] = useState(search.get('invite') ?? '');
  const [password, setPassword] = useState('');
  const accept = useMutation({ mutationFn: () => api<UserDto>('POST', '/v1/users/accept', { invite, password } satisfies AcceptInviteDto) });
  const accepted = accept.data;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate();
  };

  return (
    <Container size={420} py="xl">
      <main>
        <Title order={1} size="h2" mb="md">
          Accept your invitation
        </Title>
        <Paper withBorder p="lg">
          {accepted ? (
            <Text>
              Your password is set for {accepted.email}.{' '}
              <Anchor component={Link} href="/sign-in">
                Sign in
              </Anchor>
            </Text>
          ) : (
            <form onSubmit={submit}>
              <Stack>
                <TextInput label="Invite" required value={invite} onChange={(event) => setInvite(event.currentTarget.value)} />
                <PasswordInput label="New password (12 to 256 characters)" autoComplete="new-password" required minLength={12} value={password} onChange={(event) => setPassword(event.currentTarget.value)} />
                <ErrorNote error={accept.error} />
                <Button type="submit" loading={accept.isPending}>
                  Set password
                </Button>
              </Stack>
            </form>
          )}
        </Paper>
      </main>
    </Container>
  );
}
