// The admin API as recorded from a running Faultline (fixtures/*.json): a fetch that answers each
// route with its recorded answer and keeps every call, so a test can check what the page sent.
import { vi } from 'vitest';

export type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };
export type Handler = Answer | ((call: Call) => Answer);
export interface Call { method: string; path: string; url: URL; body: string | null; headers: Record<string, string> }

export function fixture<T = unknown>(name: string): T {
  return structuredClone(FIXTURES[name]) as T;
}

const files = import.meta.glob('./fixtures/*.json', { eager: true, import: 'default' });
const FIXTURES: Record<string, unknown> = Object.fromEntries(
  Object.entries(files).map(([path, value]) => [path.replace('./fixtures/', '').replace('.json', ''), value]),
);

/** Routes are "METHOD /path" (the path without its query) or "METHOD /path?query" for an exact match. */
export function recordedApi(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://faultline.test');
    const method = (init.method || 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers || {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const call: Call = { method, path: url.pathname, url, body: typeof init.body === 'string' ? init.body : null, headers };
    calls.push(call);
    const handler = routes[`${method} ${url.pathname}${url.search}`] ?? routes[`${method} ${url.pathname}`];
    const answer: Answer = handler === undefined
      ? { status: 404, body: { error: { status: 404, message: `no such endpoint: ${method} ${url.pathname}` } } }
      : typeof handler === 'function' ? handler(call) : handler;
    const status = answer.status ?? 200;
    const text = answer.body === undefined || status === 204 ? null : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, { status, headers: { 'content-type': 'application/json', ...(answer.headers || {}) } });
  });
  vi.stubGlobal('fetch', fetchImpl);
  return {
    calls,
    sent: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

/** What a signed-in admin's dashboard reads, as recorded; a test overrides what it is about. */
export function signedInRoutes(overrides: Record<string, Handler> = {}): Record<string, Handler> {
  const proxy = fixture<{ id: string }>('proxy');
  return {
    'GET /api/auth/me': { body: fixture('me') },
    'GET /api/auth/config': { body: fixture('auth-config') },
    'GET /healthz': { body: { status: 'ok', version: '0.1.0-SNAPSHOT', db: 'ok' } },
    'GET /api/proxies': { body: fixture('proxies') },
    'GET /api/plugins': { body: fixture('plugins') },
    'GET /api/faults/strategies': { body: fixture('strategies') },
    'GET /api/metrics': { body: fixture('metrics') },
    'GET /api/metrics/series': (c) => ({ body: fixture(c.url.searchParams.get('window') === '5m' ? 'series-5m' : 'series-1h') }),
    'GET /api/logs': { body: fixture('logs') },
    [`GET /api/proxies/${proxy.id}/faults`]: { body: fixture('faults') },
    [`GET /api/proxies/${proxy.id}/cache`]: { body: fixture('cache') },
    'GET /api/tokens': { body: fixture('tokens') },
    'GET /api/users': { body: fixture('users') },
    'GET /api/audit': { body: fixture('audit') },
    ...overrides,
  };
}
