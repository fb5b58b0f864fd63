import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { followSse, sseParser } from './sse.js';

test('events split across chunks, CRLF line ends, comments and multi-line data are parsed', () => {
  const events = [];
  const feed = sseParser((e) => events.push(e));
  for (const chunk of [': hello\n\n', 'data: {"a"', ':1}\n', '\n', 'event: dropped\r', '\ndata: {"missed":2}\r\n\r\n', 'data: one\ndata: two\n\nid: 7\ndata:x\n']) {
    feed(chunk);
  }
  assert.deepEqual(events, [
    { event: 'message', data: '{"a":1}', id: undefined },
    { event: 'dropped', data: '{"missed":2}', id: undefined },
    { event: 'message', data: 'one\ntwo', id: undefined },
  ]);
  feed('\n');
  assert.deepEqual(events[3], { event: 'message', data: 'x', id: '7' });
});

test('followSse reads a live stream, and stops at once on a 404 or a 401 without retrying', async (t) => {
  let missingHits = 0;
  let signedOutHits = 0;
  const server = createServer((req, res) => {
    if (req.url === '/signed-out') {
      signedOutHits++;
      res.writeHead(401).end('{"error":{"status":401,"message":"sign in first"}}');
      return;
    }
    if (req.url === '/missing') {
      missingHits++;
      res.writeHead(404).end('{"error":{"status":404}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': open\n\n');
    setTimeout(() => res.write('data: {"n":1}\n\n'), 10);
    setTimeout(() => res.write('data: {"n":2}\n\n'), 20);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.closeAllConnections() || server.close());
  const base = `http://127.0.0.1:${server.address().port}`;

  const received = [];
  const states = [];
  await new Promise((resolve) => {
    const close = followSse(`${base}/live`, {
      onState: (s) => states.push(s),
      onEvent: (e) => {
        received.push(JSON.parse(e.data).n);
        if (received.length === 2) {
          close();
          resolve();
        }
      },
    });
  });
  assert.deepEqual(received, [1, 2]);
  assert.deepEqual(states, ['connecting', 'live']);

  const missingStates = await new Promise((resolve) => {
    const seen = [];
    followSse(`${base}/missing`, {
      onEvent: () => assert.fail('no event expected'),
      onState: (s) => {
        seen.push(s);
        if (s === 'missing') setTimeout(() => resolve(seen), 700);
      },
    });
  });
  assert.deepEqual(missingStates, ['connecting', 'missing']);
  assert.equal(missingHits, 1, 'a missing endpoint is asked once, never retried');

  const signedOutStates = await new Promise((resolve) => {
    const seen = [];
    // Bounded: a stream that kept retrying would fail the assertion below, not hang the test.
    const close = followSse(`${base}/signed-out`, {
      onEvent: () => assert.fail('no event expected'),
      onState: (s) => seen.push(s),
    });
    setTimeout(() => {
      close();
      resolve(seen);
    }, 1200);
  });
  assert.deepEqual(signedOutStates, ['connecting', 'signed-out']);
  assert.equal(signedOutHits, 1, 'a stream refused for want of a session is not retried');
});
