import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, useLocation } from 'react-router';
import { App } from '../App.tsx';
import { makeQueryClient } from '../queryClient.ts';
import { ToastProvider } from '../components/toasts.tsx';

let where = '';
function Where() {
  const l = useLocation();
  where = `${l.pathname}${l.search}`;
  return null;
}

/** The whole app at `path`, as a browser opening that URL; `location()` tells where it went. */
export function renderAt(path: string) {
  const user = userEvent.setup();
  const client = makeQueryClient(0);
  const view = render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <ToastProvider>
          <App />
          <Where />
        </ToastProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...view, user, client, location: () => where };
}
