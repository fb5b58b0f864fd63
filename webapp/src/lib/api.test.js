import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { ApiError, api, endsSession, onSessionEnd, retryAfterSeconds } from './api.js';

test('a 401 ends the session, except where it answers what was typed', () => {
  assert.equal(endsSession('/api/proxies', 401), true);
  assert.equal(endsSession('/api/auth/me', 401), true);
  assert.equal(endsSession('/api/auth/verify/resend', 401), true);
  assert.equal(endsSession('/api/tokens', 403), false);
  for (const path of ['/api/auth/login', '/api/auth/setup', '/api/auth/register', '/api/auth/verify',
    '/api/auth/reset', '/api/auth/reset/confirm', '/api/auth/password']) {
    assert.equal(endsSession(path, 401), false, path);
  }
});

test('Retry-After reads as seconds, from a number or an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterSeconds('30', now), 30);
  assert.equal(retryAfterSeconds('Thu, 01 Jan 2026 00:01:30 GMT', now), 90);
  assert.equal(retryAfterSeconds('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
  assert.equal(retryAfterSeconds(null, now), null);
  assert.equal(retryAfterSeconds('soon', now), null);
});

test('calls against a real server: errors verbatim with their field and wait; 401 tells the app once', async (t) => {
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (req.url === '/api/auth/login') send(429, { error: { status: 429, message: 'too many sign-in attempts' } }, { 'retry-after': '12' });
    else if (req.url === '/api/auth/password') send(401, { error: { status: 401, message: 'current password is wrong', field: 'current_password' } });
    else if (req.url === '/api/tokens') send(401, { error: { status: 401, message: 'sign in first' } });
    else send(200, [{ id: 't1' }]);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}`;
  // api() takes same-origin paths, as the page calls them: point this test's fetch at the server.
  const realFetch = globalThis.fetch;
  globalThis.fetch = (path, init) => realFetch(`${base}${path}`, init);
  let ended = 0;
  const off = onSessionEnd(() => { ended += 1; });
  t.after(() => { globalThis.fetch = realFetch; off(); });

  assert.deepEqual(await api('GET', '/api/other'), [{ id: 't1' }]);
  const limited = await api('POST', '/api/auth/login', { email: 'a@b.c', password: 'x' }).catch((e) => e);
  assert.ok(limited instanceof ApiError);
  assert.deepEqual([limited.status, limited.message, limited.retryAfter], [429, 'too many sign-in attempts', 12]);
  const wrong = await api('POST', '/api/auth/password', {}).catch((e) => e);
  assert.deepEqual([wrong.status, wrong.field], [401, 'current_password']);
  assert.equal(ended, 0, 'a wrong password or a rate limit does not end the session');
  const gone = await api('GET', '/api/tokens').catch((e) => e);
  assert.deepEqual([gone.status, gone.message], [401, 'sign in first']);
  assert.equal(ended, 1);
});
