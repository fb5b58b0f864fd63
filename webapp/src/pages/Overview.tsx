import { useState } from 'react';
import { Link } from 'react-router';
import { endpointMissing } from '../lib/api.ts';
import { count, ms, percent, usd } from '../lib/format.ts';
import { totals, spark, WINDOWS, type Window } from '../lib/series.ts';
import { useMetrics, useProxies, useSeries } from '../queries.ts';
import { Card, ErrorNote, Segmented, Stat, Unavailable } from '../components/ui.tsx';
import { Sparkline } from '../components/charts.tsx';
import { SeriesCharts } from '../components/SeriesCharts.tsx';
import { ProxyTable } from './Proxies.tsx';

/** What a team keeps open: proxy counts, the figures that matter with their trend, and the traffic chart. */
export function Overview() {
  const [window, setWindow] = useState<Window>('1h');
  const proxies = useProxies();
  const series = useSeries(window);
  const day = useSeries('24h');
  const metrics = useMetrics('1h');
  const list = proxies.data || [];
  const by = (s: string) => list.filter((p) => p.status === s).length;
  const t = series.data ? totals(series.data) : null;
  const m = metrics.data;
  const missing = series.isError && endpointMissing(series.error);
  // Without the series endpoint (an older Faultline) the cards read the 1-hour metrics window.
  const errorRate = t ? t.errorRate : m ? (typeof m.error_rate === 'number' ? m.error_rate : m.error_rate?.total ?? null) : null;
  const tokens = t ? t.tokens : m && m.tokens ? (m.tokens.in ?? 0) + (m.tokens.out ?? 0) : null;

  return (
    <div className="space-y-4" data-testid="overview">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-lg font-semibold">Overview</h1>
        <Segmented label="Time window" options={WINDOWS} value={window} onChange={setWindow} />
      </div>
      <div className="grid grid-cols-3 gap-3 sm:max-w-md" data-testid="proxy-counts">
        <Stat label="Running" value={by('running')} testId="count-running" />
        <Stat label="Stopped" value={by('stopped')} testId="count-stopped" />
        <Stat label="Failed" value={by('failed')} tone={by('failed') ? 'bad' : undefined} testId="count-failed" />
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7" data-testid="overview-cards">
        <Stat label="Requests/s" value={count(t ? t.recentRate : m?.requests_per_second)} sub={t ? `${count(t.requests)} in ${window}` : undefined} testId="card-rps">
          <Sparkline label="requests per second" values={spark(series.data, (p) => p.rate)} />
        </Stat>
        <Stat label="Error rate" value={percent(errorRate)} sub={t ? `${count(t.errors)} errors` : 'last hour'} tone={errorRate && errorRate > 0.05 ? 'bad' : undefined} testId="card-errors">
          <Sparkline label="errors" className="h-6 w-full text-rose-500" values={spark(series.data, (p) => (p.requests ? p.errors / p.requests : null))} />
        </Stat>
        <Stat label="Latency p95" value={ms(t ? t.p95 : m?.latency_ms?.p95)} sub={`highest step in ${window}`} testId="card-p95">
          <Sparkline label="p95 latency" className="h-6 w-full text-amber-500" values={spark(series.data, (p) => p.p95_ms)} />
        </Stat>
        <Stat label="Cache hit rate" value={percent(m?.cache?.hit_rate ?? null)} sub="last hour" testId="card-cache">
          <Sparkline label="cache hits" className="h-6 w-full text-emerald-500" values={spark(series.data, (p) => (p.requests ? p.cache_hits / p.requests : null))} />
        </Stat>
        <Stat label="Tokens" value={count(tokens)} sub={t ? `in ${window}` : 'last hour'} testId="card-tokens">
          <Sparkline label="tokens" values={spark(series.data, (p) => p.tokens)} />
        </Stat>
        <Stat label={day.data ? 'Cost · 24 h' : 'Cost · last hour'} value={usd(day.data ? totals(day.data).cost : m?.cost_usd ?? null)} sub={m && m.unpriced_requests ? `${m.unpriced_requests} unpriced (last hour)` : 'priced requests'} testId="card-cost">
          <Sparkline label="cost" values={spark(day.data, (p) => p.cost_usd)} />
        </Stat>
        <Stat label="Saved by cache" value={usd(m?.cost_saved_usd ?? null)} sub="last hour" testId="card-saved" />
      </div>
      <Card title={`Traffic · ${window}`} testId="overview-chart">
        {missing ? <Unavailable what="Charts over time" endpoint="GET /api/metrics/series" />
          : series.data ? <SeriesCharts series={series.data} only="traffic" />
            : series.isError ? <ErrorNote error={series.error} /> : <p className="muted text-sm">Loading…</p>}
      </Card>
      <Card title="Proxies" actions={<Link to="/proxies" className="link text-xs">Manage proxies</Link>}>
        <ProxyTable proxies={list} loading={proxies.isPending} error={proxies.error} />
      </Card>
    </div>
  );
}
