// The admin API as the dashboard calls it: JSON in, JSON out, errors as ApiError carrying the
// server's own message and the field it names, so forms can show them verbatim.
import type {
  AuditPage, AuthConfig, CacheAnswer, FaultEntry, LogPage, Me, PlaygroundAnswer, PlaygroundRequest,
  ClusterAnswer, PluginsAnswer, Proxy, Series, StrategiesAnswer, Token, User,
} from './types.ts';

export class ApiError extends Error {
  status: number;
  field: string | null;
  /** Seconds to wait, when the server said (429 with Retry-After). */
  retryAfter: number | null;
  constructor(status: number, message: string, field: string | null = null, retryAfter: number | null = null) {
    super(message);
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

// Who to tell when an answer says the session is gone (the app shows the sign-in screen).
let sessionEnded: () => void = () => {};

/** Registers what runs when a call answers 401; returns the function that unregisters it. */
export function onSessionEnd(handler: () => void): () => void {
  sessionEnded = handler;
  return () => {
    if (sessionEnded === handler) sessionEnded = () => {};
  };
}

/** Tells the app the session is gone, for calls made without api() (the live log stream). */
export function sessionGone(): void {
  sessionEnded();
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit & { headers: Record<string, string> } = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `Faultline did not answer (${(e as Error).message})`);
  }
  const text = await response.text();
  const json = parseJson(text) as { error?: { message?: string; field?: string } } | null;
  if (!response.ok) {
    const error = json && json.error;
    if (endsSession(path, response.status)) sessionEnded();
    throw new ApiError(response.status, (error && error.message) || text || response.statusText,
      (error && error.field) || null, retryAfterSeconds(response.headers.get('retry-after')));
  }
  return json as T;
}

// Calls where a 401 is an answer about what was typed (wrong password, stale link), not a sign
// that the session ended: the form shows it instead.
const SESSIONLESS = /^\/api\/auth\/(login|setup|register|verify|reset|reset\/confirm|password)(\?|$)/;

/** Whether an answer with `status` to `path` means the session is gone. */
export function endsSession(path: string, status: number): boolean {
  return status === 401 && !SESSIONLESS.test(path);
}

/** A Retry-After header (seconds, or an HTTP date) as whole seconds from `now`; null when absent. */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number | null {
  if (header === null || header === undefined || String(header).trim() === '') return null;
  const value = String(header).trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Whether the server lacks the endpoint altogether (an older or partial Faultline): the panel
 * that needs it is hidden with a note instead of showing an error.
 */
export function endpointMissing(error: unknown): boolean {
  return error instanceof ApiError
    && (error.status === 405 || (error.status === 404 && /^no such endpoint/.test(error.message)));
}

/** The JSON in `text`, or null when there is none or it is not JSON. */
export function parseJson(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const enc = encodeURIComponent;

export const proxiesApi = {
  list: () => api<Proxy[]>('GET', '/api/proxies'),
  get: (id: string) => api<Proxy>('GET', `/api/proxies/${enc(id)}`),
  create: (proxy: Record<string, unknown>) => api<Proxy>('POST', '/api/proxies', proxy),
  update: (id: string, changes: Record<string, unknown>) => api<Proxy>('PATCH', `/api/proxies/${enc(id)}`, changes),
  remove: (id: string) => api<unknown>('DELETE', `/api/proxies/${enc(id)}`),
  start: (id: string) => api<Proxy>('POST', `/api/proxies/${enc(id)}/start`),
  stop: (id: string) => api<Proxy>('POST', `/api/proxies/${enc(id)}/stop`),
  cache: (id: string, limit = 100) => api<CacheAnswer>('GET', `/api/proxies/${enc(id)}/cache?limit=${limit}`),
  clearCache: (id: string) => api<unknown>('DELETE', `/api/proxies/${enc(id)}/cache`),
  removeCacheEntry: (id: string, key: string) => api<unknown>('DELETE', `/api/proxies/${enc(id)}/cache/${enc(key)}`),
  cacheExportUrl: (id: string) => `/api/proxies/${enc(id)}/cache/export`,
  importCassette: (id: string, cassette: unknown) => api<unknown>('POST', `/api/proxies/${enc(id)}/cache/import`, cassette),
  faults: (id: string) => api<FaultEntry[] | { faults: FaultEntry[] }>('GET', `/api/proxies/${enc(id)}/faults`),
  saveFaults: (id: string, faults: FaultEntry[]) => api<unknown>('PUT', `/api/proxies/${enc(id)}/faults`, faults),
  playground: (id: string, request: PlaygroundRequest) => api<PlaygroundAnswer>('POST', `/api/proxies/${enc(id)}/playground`, request),
};

export const pluginsApi = {
  list: () => api<PluginsAnswer>('GET', '/api/plugins'),
  strategies: () => api<StrategiesAnswer>('GET', '/api/faults/strategies'),
};

export const clusterApi = {
  get: () => api<ClusterAnswer>('GET', '/api/cluster'),
};

export const metricsApi = {
  series: (window: string, proxy?: string | null) =>
    api<Series>('GET', `/api/metrics/series?window=${enc(window)}${proxy ? `&proxy=${enc(proxy)}` : ''}`),
};

export const logsApi = {
  page: (query: string) => api<LogPage>('GET', `/api/logs?${query}`),
};

// Accounts. The session lives in an HttpOnly cookie the server sets and clears: the token in a
// sign-in answer is for API clients and is never kept by the page.
export const authApi = {
  config: () => api<AuthConfig>('GET', '/api/auth/config'),
  me: () => api<Me>('GET', '/api/auth/me'),
  login: (email: string, password: string) => api<unknown>('POST', '/api/auth/login', { email, password }),
  logout: () => api<unknown>('POST', '/api/auth/logout'),
  setup: (token: string | null, email: string, password: string) => api<unknown>('POST', '/api/auth/setup', { token, email, password }),
  register: (email: string, password: string) => api<{ verification?: string }>('POST', '/api/auth/register', { email, password }),
  verify: (token: string) => api<unknown>('POST', '/api/auth/verify', { token }),
  resendVerification: () => api<unknown>('POST', '/api/auth/verify/resend'),
  requestReset: (email: string) => api<unknown>('POST', '/api/auth/reset', { email }),
  confirmReset: (token: string, password: string) => api<unknown>('POST', '/api/auth/reset/confirm', { token, password }),
  changePassword: (current: string, next: string) => api<unknown>('POST', '/api/auth/password', { current_password: current, new_password: next }),
  oauthStartUrl: (id: string) => `/api/auth/oauth/${enc(id)}/start`,
};

export const tokensApi = {
  list: () => api<Token[]>('GET', '/api/tokens'),
  create: (token: Record<string, unknown>) => api<Token>('POST', '/api/tokens', token),
  revoke: (id: string) => api<unknown>('DELETE', `/api/tokens/${enc(id)}`),
};

export const usersApi = {
  list: () => api<User[]>('GET', '/api/users'),
  update: (id: string, changes: Record<string, unknown>) => api<User>('PATCH', `/api/users/${enc(id)}`, changes),
};

export const auditApi = {
  page: (query: string) => api<AuditPage>('GET', `/api/audit?${query}`),
};
