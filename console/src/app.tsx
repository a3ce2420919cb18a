import { AppShell, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useEffect } from 'react';
import { Loading } from './components/feedback';
import { LanguagePicker } from './components/language-picker';
import { nameOf } from './i18n/names';
import { useT } from './i18n';
import { AcceptInvitePage } from './pages/accept-invite';
import { SignInPage } from './pages/sign-in';
import { matchPath, navigate, useLocation } from './router';
import { PAGES, homeFor } from './routes';
import { useMe, useSignOut } from './session';

export function App() {
  const t = useT();
  const me = useMe();
  const { path } = useLocation();
  const signOut = useSignOut();
  const [opened, { toggle, close }] = useDisclosure();

  const signedIn = me.data ?? null;
  useEffect(() => {
    if (signedIn && (path === '/' || path === '/sign-in')) navigate(homeFor(signedIn.role), { replace: true });
  }, [signedIn, path]);

  if (me.isPending) return <Loading />;
  if (!signedIn) return path === '/accept-invite' ? <AcceptInvitePage /> : <SignInPage />;

  const allowed = PAGES.filter((page) => page.roles.includes(signedIn.role));
  const current = allowed.map((page) => ({ page, params: matchPath(page.path, path) })).find((found) => found.params);
  const Page = current?.page.component;

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Title order={1} size="h4">
              Seatlock
            </Title>
          </Group>
          <Group wrap="nowrap" gap="xs">
            <Text size="sm" visibleFrom="xs" data-testid="who">
              <span translate="no">{signedIn.email ?? signedIn.name ?? signedIn.id}</span> · {nameOf(t, 'roles', signedIn.role)}
            </Text>
            <LanguagePicker />
            <Button variant="default" size="xs" onClick={() => signOut().then(() => navigate('/sign-in', { replace: true }))}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('shell.mainNavigation')}>
        {allowed
          .filter((page) => page.titleKey)
          .map((page) => (
            <NavLink
              key={page.path}
              variant="filled"
              href={page.path}
              label={t(page.titleKey as string)}
              active={path === page.path || path.startsWith(`${page.path}/`)}
              onClick={(event) => {
                event.preventDefault();
                close();
                navigate(page.path);
              }}
            />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {Page && current?.params ? (
          <Suspense fallback={<Loading />}>
            <Page params={current.params} />
          </Suspense>
        ) : (
          <Stack data-testid="not-found">
            <Title order={2}>{t('shell.notFoundTitle')}</Title>
            <Text>{t('shell.notFoundText')}</Text>
          </Stack>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
