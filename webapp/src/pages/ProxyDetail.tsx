import { useState } from 'react';
import { Link, NavLink, useParams } from 'react-router';
import { endpointMissing } from '../lib/api.ts';
import { proxyPath } from '../lib/routes.ts';
import { WINDOWS, type Window } from '../lib/series.ts';
import { useProxies, useSeries } from '../queries.ts';
import { Card, ErrorNote, Segmented, StatusBadge, Unavailable } from '../components/ui.tsx';
import { SeriesCharts } from '../components/SeriesCharts.tsx';
import { TrafficConsole } from './TrafficConsole.tsx';
import { FaultsPanel } from './FaultsPanel.tsx';
import { CachePanel } from './CachePanel.tsx';
import { IpRulesPanel } from './IpRulesPanel.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import { Playground } from './Playground.tsx';

const TABS = [
  ['charts', 'Charts'], ['traffic', 'Traffic'], ['faults', 'Faults'], ['cache', 'Cache'],
  ['ip', 'IP rules'], ['settings', 'Settings'], ['playground', 'Playground'],
] as const;

/** One proxy: its charts and every setting, each tab at its own URL (/proxies/<id>/<tab>). */
export function ProxyDetail() {
  const { id = '', tab = 'charts' } = useParams();
  const proxies = useProxies();
  const proxy = (proxies.data || []).find((p) => p.id === id);
  if (proxies.isPending) return <p className="muted text-sm">Loading…</p>;
  if (!proxy) {
    return (
      <Card title="Proxy not found">
        <ErrorNote error={proxies.error} />
        <p className="text-sm">No proxy <code>{id}</code> here (it was deleted, or belongs to someone else). <Link className="link" to="/proxies">All proxies</Link></p>
      </Card>
    );
  }
  return (
    <div className="space-y-4" data-testid="proxy-detail">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-lg font-semibold">{proxy.name}</h1>
        <StatusBadge status={proxy.status} testId="detail-status" />
        <span className="muted text-xs">{proxy.provider} · <code>{proxy.url || `port ${proxy.port}`}</code></span>
      </div>
      <nav aria-label="Proxy sections" className="flex gap-1 overflow-x-auto overflow-y-hidden border-b border-slate-200 dark:border-slate-700">
        {TABS.map(([name, label]) => (
          <NavLink key={name} to={proxyPath(proxy.id, name === 'charts' ? null : name)} end data-testid={`tab-${name}`}
            aria-current={tab === name ? 'page' : undefined}
            className={`focus-ring -mb-px whitespace-nowrap border-b-2 px-3 py-2 text-xs font-medium ${tab === name ? 'border-indigo-600 text-indigo-700 dark:text-indigo-300' : 'border-transparent text-slate-600 hover:text-slate-900 dark:hover:text-slate-200'}`}>
            {label}
          </NavLink>
        ))}
      </nav>
      {tab === 'charts' ? <ProxyCharts proxyId={proxy.id} /> : null}
      {tab === 'charts' || tab === 'traffic' ? <TrafficConsole proxyId={proxy.id} /> : null}
      {tab === 'faults' ? <Card title="Faults"><FaultsPanel proxy={proxy} /></Card> : null}
      {tab === 'cache' ? <Card title="Cache"><CachePanel proxy={proxy} /></Card> : null}
      {tab === 'ip' ? <Card title="IP rules"><IpRulesPanel proxy={proxy} /></Card> : null}
      {tab === 'settings' ? <Card title="Settings"><SettingsPanel proxy={proxy} /></Card> : null}
      {tab === 'playground' ? <Card title="Playground"><Playground proxy={proxy} /></Card> : null}
    </div>
  );
}

function ProxyCharts({ proxyId }: { proxyId: string }) {
  const [window, setWindow] = useState<Window>('1h');
  const series = useSeries(window, proxyId);
  return (
    <Card title={`Over time · ${window}`} actions={<Segmented label="Time window" options={WINDOWS} value={window} onChange={setWindow} />} testId="proxy-charts">
      {series.isError && endpointMissing(series.error) ? <Unavailable what="Charts over time" endpoint="GET /api/metrics/series" />
        : series.data ? <SeriesCharts series={series.data} />
          : series.isError ? <ErrorNote error={series.error} /> : <p className="muted text-sm">Loading…</p>}
    </Card>
  );
}
