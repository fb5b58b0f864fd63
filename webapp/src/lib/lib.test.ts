import { describe, expect, test } from 'vitest';
import { fixture } from '../test/server.ts';
import { usd, ms, percent, count } from './format.ts';
import { SCENARIOS, applicableScenario, describeFaults, fieldFor, paramLabel, parseFaults, providerOptions, providersFrom, readParam, statusCaseOf, strategiesFrom } from './faults.ts';
import { exportUrl, logQuery, matches } from './logs.ts';
import { totals, trafficColumns } from './series.ts';
import { safeNext, signInPath } from './routes.ts';
import { endsSession, retryAfterSeconds } from './api.ts';
import { expired, tokenRequest } from './tokens.ts';
import { auditQuery, FIRST_PAGE, newerPage, olderPage } from './audit.ts';
import type { LogEntry, PluginsAnswer, Series, StrategiesAnswer } from './types.ts';

const strategies = strategiesFrom(fixture<StrategiesAnswer>('strategies'));

describe('format', () => {
  test('a tiny cost reads as dollars, never in exponent notation', () => {
    expect(usd(4e-8)).toBe('$0.00000004');
    expect(usd(0.0000162)).toBe('$0.0000162');
    expect(usd(0.000123456)).toBe('$0.000123');
    expect(usd(0.5)).toBe('$0.5');
    expect(usd(1234.5)).toBe('$1,234.50');
    expect(usd(0)).toBe('$0');
    expect(usd(null)).toBe('—');
    expect(usd(1e-12)).toBe('<$0.00000001');
    for (const v of [1e-7, 3.3e-9, 2.5e-6, 7e-5]) expect(usd(v)).not.toMatch(/e/);
  });
  test('latency, shares and counts', () => {
    expect(ms(7.596)).toBe('7.6 ms');
    expect(ms(12_345)).toBe('12.3 s');
    expect(percent(0.005)).toBe('0.5%');
    expect(count(12_345)).toBe('12.3k');
  });
});

describe('faults', () => {
  test('parameters get human labels, units included', () => {
    expect(paramLabel('retry_after')).toBe('Retry after (s)');
    expect(paramLabel('after_events')).toBe('After events');
    expect(paramLabel('delay_ms')).toBe('Delay (ms)');
    expect(paramLabel('cache_nonzero_temperature')).toBe('Cache answers with temperature > 0');
    expect(fieldFor(strategies.get('hang')!.params![1])).toMatchObject({ kind: 'select', choices: ['reset', 'continue', 'timeout'] });
  });
  test('the preview says in words what the list does, schedule included', () => {
    expect(describeFaults([{ strategy: 'http-error', rate: 0.1, params: { status: 429, retry_after: 2 }, schedule: { from_sec: 30, until_sec: 90 } }], strategies))
      .toBe("10% of requests get OpenAI's 429 with retry-after 2 s, from 30 s to 90 s.");
    expect(describeFaults([{ strategy: 'latency', rate: 1, params: {} }], strategies)).toBe('Every request waits 1000 ms before the upstream call.');
    expect(describeFaults([{ strategy: 'http-error', rate: 1, params: { status: 503 }, schedule: { next_requests: 5 } }], strategies))
      .toBe("Every request gets OpenAI's 503, for the next 5 requests.");
    expect(describeFaults([], strategies)).toMatch(/^No faults/);
  });
  test('every scenario is a valid list for the built-in strategies', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual(['Provider outage and recovery', 'Rate-limit storm', 'Slow and broken streams', 'Flaky network']);
    for (const s of SCENARIOS) {
      const { faults, missing } = applicableScenario(s.faults, strategies);
      expect(missing).toEqual([]);
      expect(parseFaults(JSON.stringify(faults), strategies)).toEqual({ value: faults });
    }
    const partial = applicableScenario(SCENARIOS[2].faults, strategiesFrom([{ id: 'latency', params: [] }]));
    expect(partial.missing).toEqual(['stream-drip', 'stream-cut', 'stream-error']);
  });
  test('checks catch bad values, naming the entry and field', () => {
    expect(parseFaults('[{"strategy":"http-error","params":{"status":42}}]', strategies).error).toMatch(/^\[0\]\.params\.status: must be at least 400/);
    expect(parseFaults('[{"strategy":"nope"}]', strategies).error).toMatch(/unknown "nope"/);
    expect(parseFaults('[{"strategy":"latency","schedule":{"from_sec":90,"until_sec":30}}]', strategies).error).toMatch(/until_sec: must be after from_sec/);
    expect(readParam({ name: 'n', type: 'integer' }, '1.5').error).toMatch(/integer/);
  });
  test('the status picker knows the real cases', () => {
    expect(statusCaseOf({ status: 429, code: 'insufficient_quota' })).toBe('429-quota');
    expect(statusCaseOf({ status: 429, retry_after: 2 })).toBe('429-rate');
    expect(statusCaseOf({ status: 418 })).toBe('');
  });
  test('providers and the options they publish come from GET /api/plugins', () => {
    expect(providersFrom(fixture<PluginsAnswer>('plugins'))).toEqual(['mock', 'openai']);
    expect(providerOptions(fixture<PluginsAnswer>('plugins'), 'mock')).toBeNull();
    expect(providerOptions(fixture<PluginsAnswer>('plugins-with-options'), 'mock')!.map((o) => o.name)).toContain('latency_ms');
    expect(providerOptions({ plugins: [], providers: [{ id: 'x', options: [] }] }, 'x')).toEqual([]);
  });
});

describe('logs', () => {
  const entry = fixture<{ entries: LogEntry[] }>('logs').entries[0];
  test('filters become the API query and its exports', () => {
    expect(logQuery({ proxy: 'prx_1', status: '429, 5xx', cache: 'HIT', fault: 'http-error', model: ' gpt-4o ', text: 'ignored' }).toString())
      .toBe('proxy=prx_1&status=429%2C5xx&model=gpt-4o&cache=HIT&fault=http-error');
    expect(exportUrl({ status: '5xx' }, 'ndjson')).toBe('/api/logs?status=5xx&export=ndjson');
  });
  test('a live entry is shown only when it passes the filter', () => {
    expect(matches(entry, { status: '4xx' })).toBe(true);
    expect(matches(entry, { status: '5xx,200' })).toBe(false);
    expect(matches(entry, { fault: 'http-error' })).toBe(true);
    expect(matches(entry, { fault: 'none' })).toBe(false);
    expect(matches(entry, { cache: 'none' })).toBe(true);
    expect(matches(entry, { text: entry.request_id!.slice(4, 14) })).toBe(true);
    expect(matches(entry, { text: 'no-such-thing' })).toBe(false);
  });
});

describe('series', () => {
  const series = fixture<Series>('series-1h');
  test('uPlot columns: seconds on x, one line per status class seen', () => {
    const { classes, data } = trafficColumns(series);
    expect(classes).toEqual(['2xx', '4xx', '5xx']);
    expect(data).toHaveLength(5);
    expect(data[0][0]).toBe(series.points[0].t / 1000);
    expect(data[0]).toHaveLength(360);
  });
  test('totals over the window', () => {
    const t = totals(series);
    expect(t.requests).toBe(series.points.reduce((s, p) => s + p.requests, 0));
    expect(t.errorRate).toBeGreaterThan(0);
    expect(t.errorRate).toBeLessThan(1);
  });
});

describe('accounts helpers', () => {
  test('sign-in comes back to a page of this app only', () => {
    expect(safeNext('//evil.test')).toBe('/');
    expect(safeNext('/\\evil.test')).toBe('/');
    expect(safeNext('/login')).toBe('/');
    expect(safeNext('/logs?status=5xx')).toBe('/logs?status=5xx');
    expect(signInPath({ pathname: '/proxies/prx_1/faults' })).toBe('/login?next=%2Fproxies%2Fprx_1%2Ffaults');
  });
  test('a 401 ends the session, except where it answers what was typed', () => {
    expect(endsSession('/api/proxies', 401)).toBe(true);
    expect(endsSession('/api/auth/login', 401)).toBe(false);
    expect(retryAfterSeconds('7')).toBe(7);
  });
  test('tokens and audit paging', () => {
    expect(tokenRequest({ name: ' ci ', readOnly: true, days: '30' })).toEqual({ name: 'ci', read_only: true, expires_in_days: 30 });
    expect(expired({ expires_at: '2000-01-01T00:00:00Z' })).toBe(true);
    const entries = [{ id: 9, ts: 1, action: 'a' }, { id: 8, ts: 1, action: 'a' }];
    const older = olderPage(FIRST_PAGE, entries, 2);
    expect(auditQuery(older, 2)).toBe('limit=2&before=8');
    expect(newerPage(older)).toEqual(FIRST_PAGE);
  });
});
