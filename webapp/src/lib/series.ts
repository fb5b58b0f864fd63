// GET /api/metrics/series as uPlot wants it: one x array (seconds) and one array per line, nulls
// where a step has no figure (no request, no latency) so the line breaks instead of lying.
import type { Series, SeriesPoint } from './types.ts';

export const WINDOWS = ['5m', '1h', '24h'] as const;
export type Window = (typeof WINDOWS)[number];

export type Columns = Array<Array<number | null>>;

export function xs(series: Series): number[] {
  return series.points.map((p) => p.t / 1000);
}

/** Requests/s, and requests per step by status class (2xx, 4xx, 5xx, and any other class seen). */
export function trafficColumns(series: Series): { classes: string[]; data: Columns } {
  const classes = statusClasses(series.points);
  const step = series.step_seconds || 1;
  return {
    classes,
    data: [
      xs(series),
      series.points.map((p) => p.rate),
      ...classes.map((c) => series.points.map((p) => (p.status_classes[c] || 0) / step)),
    ],
  };
}

export function statusClasses(points: SeriesPoint[]): string[] {
  const seen = new Set<string>();
  for (const p of points) for (const [k, v] of Object.entries(p.status_classes || {})) if (v) seen.add(k);
  return [...seen].sort();
}

export function latencyColumns(series: Series): Columns {
  return [xs(series), series.points.map((p) => p.p50_ms), series.points.map((p) => p.p95_ms), series.points.map((p) => p.p99_ms)];
}

export function errorColumns(series: Series): { statuses: string[]; data: Columns } {
  const seen = new Set<string>();
  for (const p of series.points) for (const [k, v] of Object.entries(p.statuses || {})) if (v && Number(k) >= 400) seen.add(k);
  const statuses = [...seen].sort();
  return { statuses, data: [xs(series), ...statuses.map((s) => series.points.map((p) => (p.statuses || {})[s] || 0))] };
}

export function tokenCostColumns(series: Series): Columns {
  return [xs(series), series.points.map((p) => p.tokens), series.points.map((p) => p.cost_usd)];
}

/** The cards' figures over the whole window. */
export function totals(series: Series) {
  let requests = 0; let errors = 0; let tokens = 0; let cost = 0; let hits = 0;
  let p95: number | null = null;
  for (const p of series.points) {
    requests += p.requests; errors += p.errors; tokens += p.tokens; cost += p.cost_usd || 0; hits += p.cache_hits || 0;
    if (p.p95_ms !== null && p.p95_ms !== undefined) p95 = p95 === null ? p.p95_ms : Math.max(p95, p.p95_ms);
  }
  const seconds = Math.max(1, (series.to - series.from) / 1000);
  return {
    requests, rate: requests / seconds, errors, errorRate: requests ? errors / requests : null,
    tokens, cost, cacheHits: hits, p95,
    recentRate: lastRate(series.points),
  };
}

/** Requests/s over the last complete steps, the "now" a card shows. */
function lastRate(points: SeriesPoint[]): number | null {
  const recent = points.slice(-4, -1);
  if (!recent.length) return points.length ? points[points.length - 1].rate : null;
  return recent.reduce((s, p) => s + p.rate, 0) / recent.length;
}

/** A sparkline's values for one figure. */
export function spark(series: Series | undefined, pick: (p: SeriesPoint) => number | null): Array<number | null> {
  return series ? series.points.map(pick) : [];
}
