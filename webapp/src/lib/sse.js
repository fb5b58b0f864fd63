// Server-sent events read with fetch rather than EventSource: fetch tells a missing endpoint (404)
// from a dropped connection, which EventSource cannot, so a panel can hide itself instead of
// retrying forever.

/** A parser fed text chunks as they arrive; calls onEvent({event, data, id}) per complete event. */
export function sseParser(onEvent) {
  let buffer = '';
  let data = [];
  let event = '';
  let id;
  return (chunk) => {
    buffer += chunk;
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      // A trailing '\r' may be the first half of '\r\n': wait for the next chunk.
      if (end < 0 || (buffer[end] === '\r' && end === buffer.length - 1)) return;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (data.length) onEvent({ event: event || 'message', data: data.join('\n'), id });
        data = [];
        event = '';
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id') id = value;
      }
    }
  };
}

/**
 * Follows an SSE endpoint until closed, reconnecting with backoff when the connection drops.
 * onState receives 'connecting' | 'live' | 'missing' (404: never retried) | 'retrying', or
 * 'signed-out' (401: the session is gone; never retried either).
 * Returns the function that closes it.
 */
export function followSse(url, { onEvent, onState, fetchImpl = fetch, maxBackoffMs = 10_000 }) {
  const abort = new AbortController();
  let backoff = 500;

  const connect = async () => {
    if (abort.signal.aborted) return;
    onState('connecting');
    try {
      const response = await fetchImpl(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
      if (response.status === 404 || response.status === 401) {
        onState(response.status === 404 ? 'missing' : 'signed-out');
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      onState('live');
      backoff = 500;
      const feed = sseParser(onEvent);
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        feed(decoder.decode(read.value, { stream: true }));
      }
    } catch (e) {
      if (abort.signal.aborted) return;
    }
    if (abort.signal.aborted) return;
    onState('retrying');
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, maxBackoffMs);
  };

  connect();
  return () => abort.abort();
}
