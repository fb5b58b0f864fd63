import { useEffect, useMemo, useState } from 'react';
import { proxiesApi } from './lib/api.js';
import { providersFrom, strategiesFrom } from './lib/faults.js';
import { usePoll } from './hooks.js';
import { CreateProxyForm } from './components/CreateProxyForm.jsx';
import { loadStrategies } from './components/FaultsPanel.jsx';
import { LiveTraffic } from './components/LiveTraffic.jsx';
import { MetricsCards } from './components/MetricsCards.jsx';
import { ProxyDetail } from './components/ProxyDetail.jsx';
import { ProxyList } from './components/ProxyList.jsx';
import { Card, ErrorNote } from './components/ui.jsx';

// The selected proxy and tab live in the path (/proxies/<id>/<tab>), so a view can be bookmarked
// and reloaded: the admin API serves index.html for any such path.
const viewFromPath = () => {
  const match = /^\/proxies\/([^/]+)(?:\/([^/]+))?/.exec(window.location.pathname);
  return match ? { id: decodeURIComponent(match[1]), tab: match[2] || null } : { id: null, tab: null };
};

export function App() {
  // Proxy status is polled: a start, stop or failure shows within two seconds.
  const proxies = usePoll(proxiesApi.list, 2000, []);
  // 503 is an answer too: its body says what is down.
  const health = usePoll(() => fetch('/healthz').then((r) => r.json()), 5000, []);
  // Plugin jars can be dropped in while Faultline runs: their providers and faults show up here.
  const catalog = usePoll(loadStrategies, 15000, []);
  const [view, setView] = useState(viewFromPath);
  const selectedId = view.id;

  useEffect(() => {
    const onPop = () => setView(viewFromPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const show = (id, tab = null) => {
    setView({ id, tab });
    window.history.pushState(null, '', id ? `/proxies/${encodeURIComponent(id)}${tab ? `/${tab}` : ''}` : '/');
  };
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
    <div className="min-h-screen bg-slate-100 text-slate-900">
      <Header health={health} />
      <main className="mx-auto max-w-screen-2xl space-y-4 px-4 py-4 sm:px-6">
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
          <ProxyDetail key={selected.id} proxy={selected} strategies={strategies} tab={view.tab} onTab={(tab) => show(selected.id, tab)}
            onChanged={proxies.reload} onClose={() => select(null)} />
        ) : (
          <MetricsCards title="Metrics · all proxies" />
        )}
        <LiveTraffic proxyId={selected ? selected.id : null} proxyNames={names} />
      </main>
    </div>
  );
}

function Header({ health }) {
  const h = health.data;
  const up = h && h.status === 'ok';
  return (
    <header className="bg-slate-900 text-slate-100">
      <div className="mx-auto flex max-w-screen-2xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
        <div className="flex items-center gap-2">
          <span className="grid h-7 w-7 place-items-center rounded-md bg-indigo-500 text-sm font-bold text-white">F</span>
          <span className="text-base font-semibold tracking-tight">Faultline</span>
          <span className="hidden text-xs text-slate-400 sm:inline">proxies in front of LLM APIs</span>
        </div>
        <div className="flex items-center gap-2 text-xs" data-testid="health">
          <span className={`h-2 w-2 rounded-full ${up ? 'bg-emerald-400' : health.loaded ? 'bg-rose-400' : 'bg-slate-500'}`} />
          <span className="text-slate-300">
            {!health.loaded ? 'checking…' : up ? 'healthy' : `degraded${h && h.db ? ` (db ${h.db})` : ''}`}
            {h && h.version ? ` · v${h.version}` : ''}
          </span>
        </div>
      </div>
    </header>
  );
}
