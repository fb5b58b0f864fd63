// GET /api/metrics answers one window's aggregates; these are the figures the cards show.

export const WINDOWS = ['1m', '15m', '1h'];

/** The card values of one metrics answer; nulls where the server has no figure (yet). */
export function metricCards(m) {
  if (!m || typeof m !== 'object') return null;
  const latency = m.latency_ms || {};
  const tokens = m.tokens || {};
  const errorRate = m.error_rate;
  return {
    requests: num(m.requests),
    rps: num(m.requests_per_second),
    errorRate: num(errorRate && typeof errorRate === 'object' ? errorRate.total : errorRate),
    errors4xx: num(errorRate && errorRate['4xx']),
    errors5xx: num(errorRate && errorRate['5xx']),
    p50: num(latency.p50),
    p95: num(latency.p95),
    p99: num(latency.p99),
    cacheHitRate: num(m.cache && m.cache.hit_rate),
    tokensIn: num(tokens.in),
    tokensOut: num(tokens.out),
    costUsd: num(m.cost_usd),
    costSavedUsd: num(m.cost_saved_usd),
    unpriced: num(m.unpriced_requests),
    faults: m.faults && typeof m.faults === 'object' ? m.faults : {},
  };
}

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
