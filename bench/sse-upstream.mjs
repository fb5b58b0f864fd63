// The streaming upstream of bench/run's time-to-first-byte rows: answers every
// POST /v1/chat/completions with an OpenAI-shaped chat completion stream (server-sent events).
// The head and the first event go out at once, as soon as the request body is in; the other
// events follow EVENT_GAP_MS apart, then a usage chunk and [DONE]. So the first byte the caller
// sees is the upstream's first event, and any delay in front of it is the hop's own.
// Usage: node sse-upstream.mjs PORT [EVENTS=10] [EVENT_GAP_MS=1]. Listens on 127.0.0.1 only.
import http from 'node:http';

const port = Number(process.argv[2]);
const events = Number(process.argv[3] ?? 10);
const gapMs = Number(process.argv[4] ?? 1);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node sse-upstream.mjs PORT [EVENTS] [EVENT_GAP_MS]');
  process.exit(2);
}

const chunk = (delta, finish = null, usage = undefined) => 'data: ' + JSON.stringify({
  id: 'chatcmpl-BenchStream0001', object: 'chat.completion.chunk', created: 1732600000,
  model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_bench00001',
  choices: usage ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...(usage ? { usage } : {}),
}) + '\n\n';

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url.split('?')[0] !== '/v1/chat/completions') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"bench SSE upstream: unknown path","type":"invalid_request_error"}}');
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk({ role: 'assistant', content: '' }));
    let sent = 0;
    const timer = setInterval(() => {
      if (res.destroyed) { clearInterval(timer); return; }
      if (sent < events) {
        res.write(chunk({ content: `token${sent} ` }));
        sent++;
        return;
      }
      clearInterval(timer);
      res.write(chunk({}, 'stop'));
      res.write(chunk(null, null, { prompt_tokens: 28, completion_tokens: events, total_tokens: 28 + events }));
      res.end('data: [DONE]\n\n');
    }, gapMs);
  });
});
server.keepAliveTimeout = 75_000;
server.listen(port, '127.0.0.1', () => console.log(`bench SSE upstream on 127.0.0.1:${port}`));
