import { proxiesApi } from '../lib/api.js';
import { useAction } from '../hooks.js';
import { Button, ConfirmButton, ErrorNote, StatusBadge } from './ui.jsx';

/** Every proxy with its state and start / stop / delete; a row opens its detail. */
export function ProxyList({ proxies, selectedId, onSelect, onChanged }) {
  if (proxies.length === 0) {
    return <p className="text-sm text-slate-500">No proxies yet: create one above.</p>;
  }
  return (
    <div className="-mx-4 overflow-x-auto">
      <table className="w-full min-w-[720px] text-left text-sm" data-testid="proxy-table">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr className="border-b border-slate-100">
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-2 py-2 font-medium">Provider</th>
            <th className="px-2 py-2 font-medium">Port</th>
            <th className="px-2 py-2 font-medium">URL</th>
            <th className="px-2 py-2 font-medium">Upstream</th>
            <th className="px-2 py-2 font-medium">Status</th>
            <th className="px-4 py-2 text-right font-medium">Actions</th>
          </tr>
        </thead>
        <tbody>
          {proxies.map((proxy) => (
            <ProxyRow key={proxy.id} proxy={proxy} selected={proxy.id === selectedId} onSelect={onSelect} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProxyRow({ proxy, selected, onSelect, onChanged }) {
  const { busy, error, run } = useAction();
  const act = (action) => async (e) => {
    e.stopPropagation();
    if ((await run(action)) !== undefined) onChanged();
  };
  const remove = async () => {
    if (await run(() => proxiesApi.remove(proxy.id).then(() => true))) onChanged(proxy.id);
  };

  return (
    <>
      <tr
        data-testid={`proxy-row-${proxy.name}`}
        data-status={proxy.status}
        onClick={() => onSelect(proxy.id)}
        className={`cursor-pointer border-b border-slate-100 last:border-0 hover:bg-slate-50 ${selected ? 'bg-indigo-50/60' : ''}`}
      >
        <td className="px-4 py-2 font-medium text-slate-900">{proxy.name}</td>
        <td className="px-2 py-2 text-slate-700">{proxy.provider}</td>
        <td className="px-2 py-2 font-mono text-xs text-slate-700">{proxy.port}</td>
        <td className="max-w-[16rem] truncate px-2 py-2 font-mono text-xs">
          <a href={proxy.url} onClick={(e) => e.stopPropagation()} className="text-indigo-700 hover:underline" title={proxy.url}>{proxy.url}</a>
        </td>
        <td className="max-w-[14rem] truncate px-2 py-2 font-mono text-xs text-slate-600" title={proxy.upstream || 'provider default'}>
          {proxy.upstream || <span className="text-slate-400">provider default</span>}
        </td>
        <td className="px-2 py-2">
          <span data-testid="proxy-status"><StatusBadge status={proxy.status} /></span>
          {proxy.error ? <div className="mt-0.5 max-w-[16rem] text-xs text-rose-700" data-testid="proxy-error">{proxy.error}</div> : null}
        </td>
        <td className="whitespace-nowrap px-4 py-2 text-right">
          <div className="inline-flex gap-1">
            {proxy.status === 'running'
              ? <Button onClick={act(() => proxiesApi.stop(proxy.id))} disabled={busy} data-testid="stop">Stop</Button>
              : <Button onClick={act(() => proxiesApi.start(proxy.id))} disabled={busy} data-testid="start">Start</Button>}
            <ConfirmButton confirm="Really delete?" onConfirm={remove} disabled={busy} data-testid="delete">Delete</ConfirmButton>
          </div>
        </td>
      </tr>
      {error ? (
        <tr>
          <td colSpan={7} className="px-4 pb-2"><ErrorNote error={error} /></td>
        </tr>
      ) : null}
    </>
  );
}
