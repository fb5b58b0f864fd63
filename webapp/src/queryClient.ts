import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './lib/api.ts';

/**
 * Server state: a failed read is tried again twice (a restart, a dropped connection), but not an
 * answer that will not change by asking again (401, 403, 404, 400).
 */
export function makeQueryClient(retries = 2): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => count < retries && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: true,
        staleTime: 1000,
      },
    },
  });
}
