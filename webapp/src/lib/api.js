// The admin API as the dashboard calls it: JSON in, JSON out, errors as ApiError carrying the
// server's own message and the field it names, so forms can show them verbatim.

export class ApiError extends Error {
  constructor(status, message, field = null) {
    super(message);
    this.status = status;
    this.field = field;
  }
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
    throw new ApiError(response.status, (error && error.message) || text || response.statusText,
      (error && error.field) || null);
  }
  return json;
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

export const enc = encodeURIComponent;
