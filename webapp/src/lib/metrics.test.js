import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, dateTime, ms, percent, usd } from './format.js';
import { metricCards } from './metrics.js';

test('cards read the server aggregate, and missing figures stay missing rather than zero', () => {
  const cards = metricCards({
    window: '1m', requests: 120, requests_per_second: 2,
    error_rate: { total: 0.05, '4xx': 0.03, '5xx': 0.02, none: 0 },
    latency_ms: { p50: 12.5, p95: 80, p99: 250, mean: 20 },
    cache: { hits: 30, misses: 90, bypass: 0, hit_rate: 0.25 },
    tokens: { in: 1000, out: 500 }, cost_usd: 0.0123, cost_saved_usd: 0.004, unpriced_requests: 0, faults: { 'http-error': 6 },
  });
  assert.equal(cards.rps, 2);
  assert.equal(cards.errorRate, 0.05);
  assert.equal(cards.p99, 250);
  assert.equal(cards.cacheHitRate, 0.25);
  assert.deepEqual(cards.faults, { 'http-error': 6 });

  const empty = metricCards({ requests: 0, requests_per_second: 0, error_rate: { total: null }, latency_ms: { p50: null }, cache: { hit_rate: null } });
  assert.equal(empty.errorRate, null);
  assert.equal(empty.p50, null);
  assert.equal(percent(empty.cacheHitRate), '—');
  assert.equal(metricCards(null), null);
});

test('numbers are formatted for reading', () => {
  assert.equal(ms(12.345), '12.3 ms');
  assert.equal(ms(1234), '1234 ms');
  assert.equal(ms(12_345), '12.3 s');
  assert.equal(percent(0.0512), '5.1%');
  assert.equal(percent(0.25), '25%');
  assert.equal(usd(0.0123), '$0.0123');
  assert.equal(usd(0), '$0');
  assert.equal(usd(null), '—');
  assert.equal(usd(12.5), '$12.50');
  assert.equal(count(15_300), '15.3k');
});

test('dates read the same from epoch milliseconds and ISO strings; a missing one is a dash', () => {
  const at = new Date(2026, 0, 2, 3, 4, 5);
  assert.equal(dateTime(at.getTime()), '2026-01-02 03:04');
  assert.equal(dateTime(at.toISOString()), '2026-01-02 03:04');
  assert.equal(dateTime(null), '—');
  assert.equal(dateTime('not a date'), '—');
});
