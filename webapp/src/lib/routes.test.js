import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyPath, routeFrom, safeNext, signInPath } from './routes.js';

test('each screen has its own path; the links in mails carry their token', () => {
  assert.deepEqual(routeFrom('/setup', '?token=abc'), { name: 'setup', public: true, token: 'abc', next: '/', error: null });
  assert.equal(routeFrom('/verify', '?token=v%2B1').token, 'v+1');
  assert.equal(routeFrom('/reset', '').token, null);
  assert.equal(routeFrom('/reset', '?token=r1').token, 'r1');
  assert.equal(routeFrom('/register').name, 'register');
  for (const name of ['account', 'tokens', 'users', 'audit']) {
    assert.deepEqual(routeFrom(`/${name}`), { name, public: false });
    assert.equal(routeFrom(`/${name}/`).name, name, 'a trailing slash is the same page');
  }
});

test('the sign-in page reads where to go back to and the error a failed social sign-in sent', () => {
  const route = routeFrom('/login', '?next=%2Fproxies%2Fp1%2Fcache&error=GitHub%20did%20not%20share%20a%20verified%20email');
  assert.equal(route.name, 'signin');
  assert.equal(route.next, '/proxies/p1/cache');
  assert.equal(route.error, 'GitHub did not share a verified email');
  assert.equal(routeFrom('/login').next, '/');
});

test('proxy paths round-trip, and unknown paths show the proxy list', () => {
  assert.deepEqual(routeFrom(proxyPath('a b/c', 'ip-rules')), { name: 'proxies', public: false, id: 'a b/c', tab: 'ip-rules' });
  assert.deepEqual(routeFrom('/'), { name: 'proxies', public: false, id: null, tab: null });
  assert.equal(routeFrom('/nowhere').name, 'proxies');
  assert.equal(proxyPath(null), '/');
});

test('after sign-in the app only returns to its own pages, never to another site or a sign-in page', () => {
  assert.equal(safeNext('/tokens'), '/tokens');
  assert.equal(safeNext('/proxies/x?y=1'), '/proxies/x?y=1');
  for (const bad of [null, undefined, '', 'https://evil.test/', '//evil.test/x', '/\\evil.test', 'tokens', '/login', '/login?next=/x', '/setup/', '/reset?token=t']) {
    assert.equal(safeNext(bad), '/', String(bad));
  }
});

test('a session that ends sends to sign-in with the way back', () => {
  assert.equal(signInPath({ pathname: '/proxies/p1/faults', search: '' }), '/login?next=%2Fproxies%2Fp1%2Ffaults');
  assert.equal(signInPath({ pathname: '/audit', search: '?x=1' }), '/login?next=%2Faudit%3Fx%3D1');
  assert.equal(signInPath({ pathname: '/', search: '' }), '/login');
  assert.equal(signInPath({ pathname: '/login', search: '?next=%2Ftokens' }), '/login', 'never a sign-in page behind a sign-in page');
  assert.equal(routeFrom('/login', signInPath({ pathname: '/users' }).slice('/login'.length)).next, '/users');
});
