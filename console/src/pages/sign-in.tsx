import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../components/feedback';
import { SignedOutPage } from '../components/signed-out-page';
import { useT } from '../i18n';
import { useSignIn } from '../session';

export function SignInPage() {
  const t = useT();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const attempt = useMutation({ mutationFn: () => signIn(email, password) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    attempt.mutate();
  };

  return (
    <SignedOutPage title={t('signIn.title')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={t('common.email')} type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.currentTarget.value)} />
          <PasswordInput label={t('signIn.password')} visibilityToggleButtonProps={{ 'aria-label': t('signIn.showPassword') }} autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.currentTarget.value)} />
          <ErrorNote error={attempt.error} />
          <Button type="submit" loading={attempt.isPending}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </form>
    </SignedOutPage>
  );
}
