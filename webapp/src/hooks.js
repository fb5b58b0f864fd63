import { useCallback, useEffect, useRef, useState } from 'react';
import { authApi, endpointMissing, onSessionEnd } from './lib/api.js';

/**
 * Loads `load()` now and every `everyMs` (0: once); browsers slow the timer down in hidden tabs.
 * `missing` turns true when the server lacks the endpoint. `reload()` loads at once, e.g. after a
 * change.
 */
export function usePoll(load, everyMs, deps) {
  const [state, setState] = useState({ data: null, error: null, missing: false, loaded: false });
  const loadRef = useRef(load);
  loadRef.current = load;
  // Answers to an earlier `deps` (a slow request for the previous window, say) are dropped.
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const asked = generation.current;
    try {
      const data = await loadRef.current();
      if (asked === generation.current) setState({ data, error: null, missing: false, loaded: true });
    } catch (error) {
      if (asked === generation.current) {
        setState((s) => ({ data: s.data, error, missing: endpointMissing(error), loaded: true }));
      }
    }
  }, []);

  useEffect(() => {
    generation.current += 1;
    setState({ data: null, error: null, missing: false, loaded: false });
    reload();
    if (!everyMs) return undefined;
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  return { ...state, reload };
}

/** Runs an admin API action, keeping its error (shown verbatim) and whether it is running. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = useCallback(async (action) => {
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
  return { busy, error, setError, run };
}

/**
 * Who is signed in (GET /api/auth/me), checked again every minute so an expired session shows
 * the sign-in screen. `me` is null when signed out; `accounts` is false on a Faultline without
 * accounts (no /api/auth), where the dashboard works as before. Any call answering 401 signs out.
 */
export function useSession() {
  const [state, setState] = useState({ me: null, loaded: false, accounts: true, error: null });

  /** Asks again; resolves to who is signed in, or null. */
  const reload = useCallback(async () => {
    try {
      const me = await authApi.me();
      setState({ me, loaded: true, accounts: true, error: null });
      return me;
    } catch (error) {
      if (error.status === 401) setState({ me: null, loaded: true, accounts: true, error: null });
      else if (endpointMissing(error)) setState({ me: null, loaded: true, accounts: false, error: null });
      // Faultline did not answer: keep who was signed in, say why.
      else setState((s) => ({ ...s, loaded: true, error }));
      return null;
    }
  }, []);

  useEffect(() => {
    const off = onSessionEnd(() => setState((s) => ({ ...s, me: null, loaded: true, error: null })));
    reload();
    const timer = setInterval(reload, 60_000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [reload]);

  const signedOut = useCallback(() => setState((s) => ({ ...s, me: null, error: null })), []);
  return { ...state, reload, signedOut };
}
