import { useState } from 'react';
import { api, enc } from '../lib/api.js';
import { count, ms, percent, usd } from '../lib/format.js';
import { metricCards, WINDOWS } from '../lib/metrics.js';
import { usePoll } from '../hooks.js';
import { Card, ErrorNote, Unavailable } from './ui.jsx';

/** Rolling metrics of one proxy (or all): the server aggregates every second, so we ask every second. */
export function MetricsCards({ proxyId, title }) {
  const [span, setSpan] = useState('1m');
  const query = `/api/metrics?window=${span}${proxyId ? `&proxy=${enc(proxyId)}` : ''}`;
  const metrics = usePoll(() => api('GET', query), 1000, [query]);
  const m = metricCards(metrics.data);

  const picker = (
    <div className="inline-flex overflow-hidden rounded-md border border-slate-300" role="group" aria-label="window">
      {WINDOWS.map((w) => (
        <button
          key={w}
          type="button"
          onClick={() => setSpan(w)}
          className={`px-2 py-0.5 text-xs ${w === span ? 'bg-slate-800 text-white' : 'bg-white text-slate-600 hover:bg-slate-50'}`}
        >
          {w}
        </button>
      ))}
    </div>
  );

  return (
    <Card title={title} actions={metrics.missing ? null : picker} testId="metrics">
      {metrics.missing ? <Unavailable what="Metrics" endpoint="GET /api/metrics" /> : null}
      {!metrics.missing && metrics.error ? <ErrorNote error={metrics.error} /> : null}
      {!metrics.missing && m ? (
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <Metric label="Requests/s" value={count(m.rps)} sub={`${count(m.requests)} in ${span}`} testId="metric-rps" />
          <Metric
            label="Error rate"
            value={percent(m.errorRate)}
            sub={`4xx ${percent(m.errors4xx)} · 5xx ${percent(m.errors5xx)}`}
            tone={m.errorRate > 0.05 ? 'bad' : undefined}
          />
          <Metric label="Latency p50" value={ms(m.p50)} sub={`p95 ${ms(m.p95)} · p99 ${ms(m.p99)}`} />
          <Metric label="Cache hit rate" value={percent(m.cacheHitRate)} sub="hits / (hits + misses)" />
          <Metric label="Tokens" value={count((m.tokensIn ?? 0) + (m.tokensOut ?? 0))} sub={`in ${count(m.tokensIn)} · out ${count(m.tokensOut)}`} />
          <Metric
            label="Cost"
            value={m.unpriced && m.unpriced === m.requests ? 'unknown' : usd(m.costUsd)}
            sub={`saved ${usd(m.costSavedUsd)}${m.unpriced ? ` · ${m.unpriced} unpriced` : ''}`}
          />
        </div>
      ) : null}
      {m && Object.keys(m.faults).length ? (
        <p className="mt-3 text-xs text-slate-600">
          Faults injected: {Object.entries(m.faults).map(([id, n]) => `${id} ×${n}`).join(', ')}
        </p>
      ) : null}
    </Card>
  );
}

function Metric({ label, value, sub, tone, testId }) {
  return (
    <div className="min-w-0 rounded-lg bg-slate-50 px-3 py-2 ring-1 ring-slate-100" data-testid={testId}>
      <div className="truncate text-xs text-slate-500">{label}</div>
      <div className={`mt-0.5 truncate text-lg font-semibold tabular-nums ${tone === 'bad' ? 'text-rose-700' : 'text-slate-900'}`}>{value}</div>
      <div className="truncate text-[11px] text-slate-500" title={sub}>{sub}</div>
    </div>
  );
}
