// The admin API as the dashboard calls it: JSON in, JSON out, errors as ApiError carrying the
// server's own message and the field it names, so forms can show them verbatim.

export class ApiError extends Error {
  constructor(status, message, field = null, retryAfter = null) {
    super(message);
    this.status = status;
    this.field = field;
    // Seconds to wait, when the server said (429 with Retry-After).
    this.retryAfter = retryAfter;
  }
}

// Who to tell when an answer says the session is gone (the app shows the sign-in screen).
let sessionEnded = () => {};

/** Registers what runs when a call answers 401; returns the function that unregisters it. */
export function onSessionEnd(handler) {
  sessionEnded = handler;
  return () => {
    if (sessionEnded === handler) sessionEnded = () => {};
  };
}

/** Tells the app the session is gone, for calls made without api() (the SSE log stream). */
export function sessionGone() {
  sessionEnded();
}

export async function api(method, path, body) {
  const init = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `Faultline did not answer (${e.message})`);
  }
  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) {
    const error = json && json.error;
    if (endsSession(path, response.status)) sessionEnded();
    throw new ApiError(response.status, (error && error.message) || text || response.statusText,
      (error && error.field) || null, retryAfterSeconds(response.headers.get('retry-after')));
  }
  return json;
}

// Calls where a 401 is an answer about what was typed (wrong password, stale link), not a sign
// that the session ended: the form shows it instead.
const SESSIONLESS = /^\/api\/auth\/(login|setup|register|verify|reset|reset\/confirm|password)(\?|$)/;

/** Whether an answer with `status` to `path` means the session is gone. */
export function endsSession(path, status) {
  return status === 401 && !SESSIONLESS.test(path);
}

/** A Retry-After header (seconds, or an HTTP date) as whole seconds from `now`; null when absent. */
export function retryAfterSeconds(header, now = Date.now()) {
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
export function endpointMissing(error) {
  return error instanceof ApiError
    && (error.status === 405 || (error.status === 404 && /^no such endpoint/.test(error.message)));
}

/** The JSON in `text`, or null when there is none or it is not JSON. */
export function parseJson(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const proxiesApi = {
  list: () => api('GET', '/api/proxies'),
  create: (proxy) => api('POST', '/api/proxies', proxy),
  update: (id, changes) => api('PATCH', `/api/proxies/${enc(id)}`, changes),
  remove: (id) => api('DELETE', `/api/proxies/${enc(id)}`),
  start: (id) => api('POST', `/api/proxies/${enc(id)}/start`),
  stop: (id) => api('POST', `/api/proxies/${enc(id)}/stop`),
  cache: (id) => api('GET', `/api/proxies/${enc(id)}/cache?limit=20`),
  clearCache: (id) => api('DELETE', `/api/proxies/${enc(id)}/cache`),
  removeCacheEntry: (id, key) => api('DELETE', `/api/proxies/${enc(id)}/cache/${enc(key)}`),
  cacheExportUrl: (id) => `/api/proxies/${enc(id)}/cache/export`,
  faults: (id) => api('GET', `/api/proxies/${enc(id)}/faults`),
  saveFaults: (id, faults) => api('PUT', `/api/proxies/${enc(id)}/faults`, faults),
};

// Accounts. The session lives in an HttpOnly cookie the server sets and clears: the token in a
// sign-in answer is for API clients and is never kept by the page.
export const authApi = {
  config: () => api('GET', '/api/auth/config'),
  me: () => api('GET', '/api/auth/me'),
  login: (email, password) => api('POST', '/api/auth/login', { email, password }),
  logout: () => api('POST', '/api/auth/logout'),
  setup: (token, email, password) => api('POST', '/api/auth/setup', { token, email, password }),
  register: (email, password) => api('POST', '/api/auth/register', { email, password }),
  verify: (token) => api('POST', '/api/auth/verify', { token }),
  resendVerification: () => api('POST', '/api/auth/verify/resend'),
  requestReset: (email) => api('POST', '/api/auth/reset', { email }),
  confirmReset: (token, password) => api('POST', '/api/auth/reset/confirm', { token, password }),
  changePassword: (current, next) => api('POST', '/api/auth/password', { current_password: current, new_password: next }),
  oauthStartUrl: (id) => `/api/auth/oauth/${enc(id)}/start`,
};

export const tokensApi = {
  list: () => api('GET', '/api/tokens'),
  create: (token) => api('POST', '/api/tokens', token),
  revoke: (id) => api('DELETE', `/api/tokens/${enc(id)}`),
};

export const usersApi = {
  list: () => api('GET', '/api/users'),
  update: (id, changes) => api('PATCH', `/api/users/${enc(id)}`, changes),
};

export const auditApi = {
  page: (query) => api('GET', `/api/audit?${query}`),
};

export const enc = encodeURIComponent;
