import { Container, Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { LanguagePicker } from './language-picker';

/** A page shown before signing in (sign-in, accepting an invitation): a title, the language picker, one panel. */
export function SignedOutPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Container size={420} py="xl">
      <main>
        <Group justify="space-between" mb="md" wrap="nowrap">
          <Title order={1} size="h2">
            {title}
          </Title>
          <LanguagePicker />
        </Group>
        <Paper withBorder p="lg">
          {children}
        </Paper>
      </main>
    </Container>
  );
}
