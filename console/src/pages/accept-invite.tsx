import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import type { AcceptInviteDto, UserDto } from '../api/schema';
import { ErrorNote } from '../components/feedback';
import { SignedOutPage } from '../components/signed-out-page';
import { useT } from '../i18n';
import { Link, useLocation } from '../router';

/** `/accept-invite?invite=…`: the invited person sets a password, then signs in. */
export function AcceptInvitePage() {
  const t = useT();
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
    <SignedOutPage title={t('invite.title')}>
      {accepted ? (
        <Text>
          {t('invite.passwordSet', { email: accepted.email })}{' '}
          <Anchor component={Link} href="/sign-in">
            {t('signIn.submit')}
          </Anchor>
        </Text>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <TextInput label={t('invite.invite')} required value={invite} onChange={(event) => setInvite(event.currentTarget.value)} />
            <PasswordInput label={t('invite.newPassword')} visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }} autoComplete="new-password" required minLength={12} value={password} onChange={(event) => setPassword(event.currentTarget.value)} />
            <ErrorNote error={accept.error} />
            <Button type="submit" loading={accept.isPending}>
              {t('invite.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </SignedOutPage>
  );
}
