import { useCallback, useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { authApi, endpointMissing, onSessionEnd, ApiError } from './lib/api.ts';
import type { Me } from './lib/types.ts';

/** Runs an admin API action, keeping its error (shown verbatim) and whether it is running. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error: error as ApiError | null, setError, run };
}

export interface SessionState { me: Me | null; accounts: boolean }

export interface Session extends SessionState {
  loaded: boolean;
  error: unknown;
  reload: () => Promise<Me | null>;
  signedOut: () => void;
}

/**
 * Who is signed in (GET /api/auth/me), asked again every minute so an expired session shows the
 * sign-in screen. `me` is null when signed out; `accounts` is false on a Faultline without
 * accounts (no /api/auth), where the dashboard works as before. Any call answering 401 signs out.
 */
export function useSession(): Session {
  const client = useQueryClient();
  const query = useQuery<SessionState>({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return { me: await authApi.me(), accounts: true };
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return { me: null, accounts: true };
        if (endpointMissing(error)) return { me: null, accounts: false };
        throw error;
      }
    },
    refetchInterval: 60_000,
    retry: false,
  });
  const signedOut = useCallback(() => {
    // What the last person saw must not show for the next one.
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    client.setQueryData<SessionState>(['me'], (s) => ({ me: null, accounts: s ? s.accounts : true }));
  }, [client]);
  useEffect(() => onSessionEnd(signedOut), [signedOut]);
  const reload = useCallback(async () => {
    const result = await query.refetch();
    return result.data ? result.data.me : null;
  }, [query]);
  return {
    me: query.data ? query.data.me : null,
    accounts: query.data ? query.data.accounts : true,
    loaded: query.data !== undefined || query.isError,
    error: query.data === undefined ? query.error : null,
    reload,
    signedOut,
  };
}
