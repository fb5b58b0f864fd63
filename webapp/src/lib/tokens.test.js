import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPIRY_CHOICES, expired, tokenRequest } from './tokens.js';

test('a token request sends an expiry only when one was chosen', () => {
  assert.deepEqual(tokenRequest({ name: '  ci  ', readOnly: true, days: null }), { name: 'ci', read_only: true });
  assert.deepEqual(tokenRequest({ name: 'deploy', readOnly: false, days: '30' }), { name: 'deploy', read_only: false, expires_in_days: 30 });
  assert.deepEqual(tokenRequest({ name: 'x', days: '' }), { name: 'x', read_only: false });
  assert.equal(EXPIRY_CHOICES[0].days, null, 'the first choice, the default, never expires');
});

test('a token past its expiry shows as expired; one without expiry never does', () => {
  const now = Date.parse('2026-01-02T00:00:00Z');
  assert.equal(expired({ expires_at: null }, now), false);
  assert.equal(expired({}, now), false);
  assert.equal(expired({ expires_at: '2026-01-01T00:00:00Z' }, now), true);
  assert.equal(expired({ expires_at: now + 1000 }, now), false);
  assert.equal(expired({ expires_at: now }, now), true);
});
