import '@mantine/core/styles.css';
import './small-screens.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { whenSessionEnds } from './api/client';
import { App } from './app';
import './i18n';
import { ME } from './session';

// The darkest shade keeps white text on filled buttons and badges above WCAG AA contrast (4.5:1).
const theme = createTheme({ primaryShade: 9 });

const queries = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: true } } });
// A 401 anywhere means the session is over: forget everything and show the sign-in page.
whenSessionEnds(() => {
  queries.setQueryData(ME, null);
  queries.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queries}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
