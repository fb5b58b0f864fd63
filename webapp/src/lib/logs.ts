// The traffic console's filters: what the API filters (GET /api/logs and its exports take
// proxy, status, model, cache, fault), and what only the page can (free text over the rows shown).
import type { LogEntry } from './types.ts';

export interface LogFilter {
  proxy?: string;
  /** Exact statuses and classes, comma-separated, as the API takes them: "429,5xx". */
  status?: string;
  model?: string;
  cache?: '' | 'HIT' | 'MISS' | 'BYPASS' | 'none';
  fault?: string;
  text?: string;
}

/** The API query for a filter (without limit, cursor or export); the free text is the page's own. */
export function logQuery(filter: LogFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (filter.proxy) q.set('proxy', filter.proxy);
  const status = (filter.status || '').split(',').map((s) => s.trim()).filter(Boolean).join(',');
  if (status) q.set('status', status);
  if (filter.model && filter.model.trim()) q.set('model', filter.model.trim());
  if (filter.cache) q.set('cache', filter.cache);
  if (filter.fault && filter.fault.trim()) q.set('fault', filter.fault.trim());
  return q;
}

/** Where the API streams every row the filter matches as CSV, JSON or NDJSON. */
export function exportUrl(filter: LogFilter, format: 'csv' | 'json' | 'ndjson'): string {
  const q = logQuery(filter);
  q.set('export', format);
  return `/api/logs?${q}`;
}

function statusMatches(status: number, wanted: string): boolean {
  const parts = wanted.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (!parts.length) return true;
  return parts.some((p) => (/^[1-5]xx$/.test(p) ? Math.floor(status / 100) === Number(p[0]) : Number(p) === status));
}

/** Whether a live entry passes the filter, so the stream shows what the query would. */
export function matches(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.proxy && entry.proxy_id !== filter.proxy) return false;
  if (filter.status && !statusMatches(entry.status, filter.status)) return false;
  if (filter.model && filter.model.trim() && entry.model !== filter.model.trim()) return false;
  if (filter.cache) {
    if (filter.cache === 'none' ? !!entry.cache_status : entry.cache_status !== filter.cache) return false;
  }
  if (filter.fault && filter.fault.trim()) {
    const f = filter.fault.trim();
    const faults = (entry.fault || '').split(/[,\s]+/).filter(Boolean);
    if (f === 'any' ? faults.length === 0 : f === 'none' ? faults.length > 0 : !faults.includes(f)) return false;
  }
  if (filter.text && filter.text.trim()) {
    const needle = filter.text.trim().toLowerCase();
    const hay = [entry.request_id, entry.path, entry.model, entry.error_type, entry.fault, entry.client_ip, String(entry.status)]
      .filter(Boolean).join(' ').toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

export const KEEP = 500;

/** New entries first, each request once, at most KEEP. */
export function merge(incoming: LogEntry[], old: LogEntry[]): LogEntry[] {
  const seen = new Set<string>();
  return [...incoming, ...old]
    .filter((e) => e && !(e.request_id && (seen.has(e.request_id) || !seen.add(e.request_id))))
    .sort((a, b) => (Date.parse(b.ts) || 0) - (Date.parse(a.ts) || 0))
    .slice(0, KEEP);
}

export function tokensOf(e: LogEntry): number | null {
  if (e.total_tokens !== null && e.total_tokens !== undefined) return e.total_tokens;
  const sum = (e.prompt_tokens ?? 0) + (e.completion_tokens ?? 0);
  return sum || null;
}
