import { useMemo } from 'react';
import { proxiesApi } from '../lib/api.js';
import { providersFrom, strategiesFrom } from '../lib/faults.js';
import { proxyPath } from '../lib/routes.js';
import { usePoll } from '../hooks.js';
import { CreateProxyForm } from './CreateProxyForm.jsx';
import { loadStrategies } from './FaultsPanel.jsx';
import { LiveTraffic } from './LiveTraffic.jsx';
import { MetricsCards } from './MetricsCards.jsx';
import { ProxyDetail } from './ProxyDetail.jsx';
import { ProxyList } from './ProxyList.jsx';
import { Card, ErrorNote } from './ui.jsx';
import { useNavigate } from './nav.jsx';

/** The proxies, the selected one's detail (its own path: /proxies/<id>/<tab>), and live traffic. */
export function ProxiesView({ selectedId, tab }) {
  const navigate = useNavigate();
  // Proxy status is polled: a start, stop or failure shows within two seconds.
  const proxies = usePoll(proxiesApi.list, 2000, []);
  // Plugin jars can be dropped in while Faultline runs: their providers and faults show up here.
  const catalog = usePoll(loadStrategies, 15000, []);

  const show = (id, t = null) => navigate(proxyPath(id, t));
  const select = (id) => show(id);

  const list = Array.isArray(proxies.data) ? proxies.data : [];
  const selected = list.find((p) => p.id === selectedId) || null;
  const names = Object.fromEntries(list.map((p) => [p.id, p.name]));
  const plugins = catalog.data && catalog.data.plugins;
  const providers = useMemo(() => providersFrom(plugins), [plugins]);
  const strategies = useMemo(() => strategiesFrom(catalog.data && catalog.data.described, plugins), [catalog.data, plugins]);
  const failedPlugins = (plugins && plugins.failed) || [];

  const changed = (removedId) => {
    if (removedId && removedId === selectedId) select(null);
    proxies.reload();
  };

  return (
    <>
      {proxies.error ? <ErrorNote error={proxies.error} /> : null}
      {failedPlugins.length ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800 ring-1 ring-amber-200">
          {failedPlugins.length} plugin jar(s) failed to load: {failedPlugins.map((f) => `${f.file} (${f.reason})`).join('; ')}
        </p>
      ) : null}
      <Card title={`Proxies${list.length ? ` (${list.length})` : ''}`} testId="proxies">
        <CreateProxyForm providers={providers} onCreated={() => proxies.reload()} />
        <div className="mt-4 border-t border-slate-100 pt-2">
          {proxies.loaded ? <ProxyList proxies={list} selectedId={selectedId} onSelect={select} onChanged={changed} />
            : <p className="text-sm text-slate-500">Loading…</p>}
        </div>
      </Card>
      {selected ? (
        <ProxyDetail key={selected.id} proxy={selected} strategies={strategies} tab={tab} onTab={(t) => show(selected.id, t)}
          onChanged={proxies.reload} onClose={() => select(null)} />
      ) : (
        <MetricsCards title="Metrics · all proxies" />
      )}
      <LiveTraffic proxyId={selected ? selected.id : null} proxyNames={names} />
    </>
  );
}
