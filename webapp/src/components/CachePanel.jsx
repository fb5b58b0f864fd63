import { proxiesApi } from '../lib/api.js';
import { bytes, count, percent } from '../lib/format.js';
import { useAction, usePoll } from '../hooks.js';
import { BlockForm } from './BlockForm.jsx';
import { Button, ConfirmButton, ErrorNote, Unavailable } from './ui.jsx';

/** A proxy's cache: its settings (the proxy's `cache` block), its counters and entries, clear and export. */
export function CachePanel({ proxy, onChanged }) {
  const cache = usePoll(() => proxiesApi.cache(proxy.id), 3000, [proxy.id]);
  const clear = useAction();

  if (proxy.cache === undefined) return <Unavailable what="The response cache" endpoint="the proxy's cache settings" />;

  const reload = () => {
    cache.reload();
    onChanged();
  };
  const doClear = async () => {
    if (await clear.run(() => proxiesApi.clearCache(proxy.id))) cache.reload();
  };
  const data = cache.data;
  const stats = (data && data.stats) || {};

  return (
    <div className="space-y-4" data-testid="cache-panel">
      <BlockForm proxy={proxy} name="cache" toggle="Cache responses of this proxy" onSaved={reload} />
      {cache.missing ? <Unavailable what="Cache statistics" endpoint="GET /api/proxies/{id}/cache" /> : (
        <>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Stat label="Hit rate" value={percent(stats.hit_rate)} testId="cache-hit-rate" />
            <Stat label="Hits · misses · bypass" value={`${count(stats.hits)} · ${count(stats.misses)} · ${count(stats.bypasses)}`} />
            <Stat label="Entries" value={count(data && data.entries)} testId="cache-entries" />
            <Stat label="Stored" value={bytes(data && data.bytes)} />
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <ConfirmButton confirm="Really clear all entries?" onConfirm={doClear} disabled={clear.busy} data-testid="cache-clear">
              Clear cache
            </ConfirmButton>
            <a className="text-xs text-indigo-700 hover:underline" href={proxiesApi.cacheExportUrl(proxy.id)}>Export as cassette</a>
            {stats.lookup_errors || stats.store_errors ? (
              <span className="text-xs text-amber-700">{stats.lookup_errors} lookup / {stats.store_errors} store errors (the cache failed open)</span>
            ) : null}
          </div>
          <ErrorNote error={clear.error || cache.error} />
          <EntryTable proxyId={proxy.id} items={(data && data.items) || []} onRemoved={cache.reload} />
        </>
      )}
    </div>
  );
}

function EntryTable({ proxyId, items, onRemoved }) {
  const remove = useAction();
  if (items.length === 0) return <p className="text-xs text-slate-500">No cached responses.</p>;
  return (
    <div className="-mx-4 overflow-x-auto">
      <ErrorNote error={remove.error} />
      <table className="w-full min-w-[640px] text-left text-xs">
        <thead className="text-[11px] uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-1.5 font-medium">Key</th>
            <th className="px-2 py-1.5 font-medium">Model</th>
            <th className="px-2 py-1.5 font-medium">Path</th>
            <th className="px-2 py-1.5 text-right font-medium">Size</th>
            <th className="px-2 py-1.5 text-right font-medium">Hits</th>
            <th className="px-2 py-1.5 font-medium">Stored</th>
            <th className="px-4 py-1.5" />
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key} className="border-t border-slate-100">
              <td className="px-4 py-1.5 font-mono text-slate-600" title={item.key}>{String(item.key).slice(0, 12)}…</td>
              <td className="px-2 py-1.5">{item.model || '—'}{item.stream ? <span className="ml-1 text-indigo-600">stream</span> : null}</td>
              <td className="px-2 py-1.5 font-mono">{item.path}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">{bytes(item.size)}</td>
              <td className="px-2 py-1.5 text-right tabular-nums">{count(item.hits)}</td>
              <td className="whitespace-nowrap px-2 py-1.5 text-slate-500">{new Date(item.created_at).toLocaleString()}</td>
              <td className="px-4 py-1.5 text-right">
                <Button onClick={async () => { if ((await remove.run(() => proxiesApi.removeCacheEntry(proxyId, item.key).then(() => true)))) onRemoved(); }}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Stat({ label, value, testId }) {
  return (
    <div className="rounded-lg bg-slate-50 px-3 py-2 ring-1 ring-slate-100" data-testid={testId}>
      <div className="text-xs text-slate-500">{label}</div>
      <div className="mt-0.5 text-base font-semibold tabular-nums text-slate-900">{value}</div>
    </div>
  );
}
