import { useCallback, useEffect, useRef, useState } from 'react';
import { endpointMissing } from './lib/api.js';

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
