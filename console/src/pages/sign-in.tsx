import { Button, Container, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../components/feedback';
import { LanguagePicker } from '../components/language-picker';
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
    <Container size={420} py="xl">
      <main>
        <Group justify="space-between" mb="md" wrap="nowrap">
          <Title order={1} size="h2">
            {t('signIn.title')}
          </Title>
          <LanguagePicker />
        </Group>
        <Paper withBorder p="lg">
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
        </Paper>
      </main>
    </Container>
  );
}
