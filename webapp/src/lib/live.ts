// The live request log (GET /api/logs/stream, server-sent events) through the browser's own
// EventSource, which reconnects by itself after a dropped connection. EventSource does not say
// why a connection was refused: when it gives up (readyState CLOSED: a non-200 answer), one GET
// of /api/auth/me tells a session that ended (401: signed out) from a stream this Faultline
// lacks (404).

export type LiveState = 'connecting' | 'live' | 'retrying' | 'signed-out' | 'missing' | 'failed';

export interface LiveOptions {
  onEntry: (data: string) => void;
  onDropped?: (missed: number) => void;
  onState: (state: LiveState) => void;
  probe?: () => Promise<number>;
}

const defaultProbe = () => fetch('/api/auth/me', { headers: { accept: 'application/json' } }).then((r) => r.status, () => 0);

/** Follows the stream until the returned function is called. */
export function followLog(url: string, { onEntry, onDropped, onState, probe = defaultProbe }: LiveOptions): () => void {
  let closed = false;
  onState('connecting');
  const source = new EventSource(url);
  source.onopen = () => !closed && onState('live');
  source.onmessage = (e: MessageEvent) => !closed && onEntry(String(e.data));
  source.addEventListener('dropped', (e) => {
    if (closed || !onDropped) return;
    try {
      onDropped(Number(JSON.parse(String((e as MessageEvent).data)).missed) || 0);
    } catch {
      // a malformed notice is only a notice
    }
  });
  source.onerror = () => {
    if (closed) return;
    if (source.readyState !== EventSource.CLOSED) {
      onState('retrying');
      return;
    }
    probe().then((status) => {
      if (closed) return;
      onState(status === 401 ? 'signed-out' : status === 200 ? 'missing' : 'failed');
    });
  };
  return () => {
    closed = true;
    source.close();
  };
}
