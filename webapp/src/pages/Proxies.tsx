import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { proxiesApi } from '../lib/api.ts';
import { providersFrom } from '../lib/faults.ts';
import { proxyPath } from '../lib/routes.ts';
import type { Proxy } from '../lib/types.ts';
import { spark } from '../lib/series.ts';
import { keys, usePlugins, useProxies, useSeries } from '../queries.ts';
import { Button, Card, ConfirmButton, ErrorNote, Field, INPUT, StatusBadge } from '../components/ui.tsx';
import { Sparkline } from '../components/charts.tsx';
import { useToast } from '../components/toasts.tsx';

export function Proxies() {
  const proxies = useProxies();
  return (
    <div className="space-y-4" data-testid="proxies-page">
      <h1 className="text-lg font-semibold">Proxies</h1>
      <Card title="New proxy"><CreateProxyForm /></Card>
      <Card title={`Proxies${proxies.data ? ` (${proxies.data.length})` : ''}`}>
        <ProxyTable proxies={proxies.data || []} loading={proxies.isPending} error={proxies.error} />
      </Card>
    </div>
  );
}

export function ProxyTable({ proxies, loading, error }: { proxies: Proxy[]; loading?: boolean; error?: unknown }) {
  if (loading) return <p className="muted text-sm">Loading…</p>;
  return (
    <div className="-mx-4 overflow-x-auto">
      <ErrorNote error={error} />
      <table className="w-full min-w-[760px] text-sm" data-testid="proxy-table">
        <thead>
          <tr>
            <th className="th pl-4">Name</th><th className="th">Status</th><th className="th">Provider</th><th className="th">Port</th>
            <th className="th">Upstream</th><th className="th w-32">Traffic</th><th className="th pr-4 text-right">Actions</th>
          </tr>
        </thead>
        <tbody>
          {proxies.length === 0 ? <tr><td colSpan={7} className="muted px-4 py-6 text-center">No proxies yet.</td></tr>
            : proxies.map((p) => <ProxyRow key={p.id} proxy={p} />)}
        </tbody>
      </table>
    </div>
  );
}

function ProxyRow({ proxy }: { proxy: Proxy }) {
  const series = useSeries('1h', proxy.id);
  const traffic = spark(series.data, (p) => p.rate);
  const navigate = useNavigate();
  const client = useQueryClient();
  const toast = useToast();
  const action = useMutation({
    mutationFn: (kind: 'start' | 'stop' | 'delete') => (kind === 'delete' ? proxiesApi.remove(proxy.id) : proxiesApi[kind](proxy.id)),
    onSuccess: (_answer, kind) => {
      toast.ok(`${proxy.name} ${kind === 'delete' ? 'deleted' : kind === 'start' ? 'started' : 'stopped'}`);
      client.invalidateQueries({ queryKey: keys.proxies });
    },
  });
  const open = () => navigate(proxyPath(proxy.id));
  return (
    <>
      <tr className="row cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/50" data-testid={`proxy-row-${proxy.name}`} onClick={open}>
        <td className="td pl-4 font-medium">
          <a href={proxyPath(proxy.id)} className="link" onClick={(e) => { e.preventDefault(); e.stopPropagation(); open(); }}>{proxy.name}</a>
        </td>
        <td className="td">
          <StatusBadge status={proxy.status} testId="proxy-status" />
          {proxy.error ? <div className="mt-0.5 max-w-[16rem] truncate text-[11px] text-rose-700 dark:text-rose-300" title={proxy.error}>{proxy.error}</div> : null}
        </td>
        <td className="td">{proxy.provider}</td>
        <td className="td tabular-nums">{proxy.port ?? '—'}</td>
        <td className="td max-w-[14rem] truncate font-mono text-xs" title={proxy.upstream || 'provider default'}>{proxy.upstream || <span className="muted">provider default</span>}</td>
        <td className="td"><Sparkline label={`${proxy.name} traffic`} values={traffic} /></td>
        <td className="td pr-4 text-right" onClick={(e) => e.stopPropagation()}>
          <div className="inline-flex gap-1">
            {proxy.status === 'running'
              ? <Button onClick={() => action.mutate('stop')} disabled={action.isPending} data-testid="stop" aria-label={`Stop ${proxy.name}`}>Stop</Button>
              : <Button onClick={() => action.mutate('start')} disabled={action.isPending} data-testid="start" aria-label={`Start ${proxy.name}`}>Start</Button>}
            <ConfirmButton confirm="Really delete?" onConfirm={() => action.mutate('delete')} disabled={action.isPending} data-testid="delete" aria-label={`Delete ${proxy.name}`}>Delete</ConfirmButton>
          </div>
        </td>
      </tr>
      {action.error ? <tr><td colSpan={7} className="px-4 pb-2"><ErrorNote error={action.error} testId="proxy-error" /></td></tr> : null}
    </>
  );
}

const EMPTY = { name: '', provider: '', port: '', upstream: '' };

/** Provider picked from the loaded plugins; port optional (the first free one of the range). */
export function CreateProxyForm() {
  const plugins = usePlugins();
  const providers = providersFrom(plugins.data);
  const [form, setForm] = useState(EMPTY);
  const client = useQueryClient();
  const toast = useToast();
  const create = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = { name: form.name.trim(), provider: form.provider || providers[0] };
      if (form.port.trim()) body.port = Number(form.port);
      if (form.upstream.trim()) body.upstream = form.upstream.trim();
      return proxiesApi.create(body);
    },
    onSuccess: (proxy) => {
      toast.ok(`Proxy ${proxy.name} created on port ${proxy.port}`);
      setForm(EMPTY);
      client.invalidateQueries({ queryKey: keys.proxies });
    },
  });
  const set = (name: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [name]: e.target.value });
  const invalid = (f: string) => !!(create.error && (create.error as { field?: string }).field === f);
  return (
    <form data-testid="create-proxy-form" className="space-y-3" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_10rem_7rem_1.5fr_auto] lg:items-end">
        <Field label="Name" invalid={invalid('name')}>
          <input className={INPUT} name="name" value={form.name} onChange={set('name')} required placeholder="my-proxy" />
        </Field>
        <Field label="Provider" invalid={invalid('provider')}>
          <select className={INPUT} name="provider" value={form.provider || providers[0] || ''} onChange={set('provider')}>
            {providers.length ? providers.map((p) => <option key={p} value={p}>{p}</option>) : <option value="">loading…</option>}
          </select>
        </Field>
        <Field label="Port" invalid={invalid('port')}>
          <input className={INPUT} name="port" inputMode="numeric" value={form.port} onChange={set('port')} placeholder="auto" />
        </Field>
        <Field label="Upstream" invalid={invalid('upstream')}>
          <input className={INPUT} name="upstream" value={form.upstream} onChange={set('upstream')} placeholder="provider default" />
        </Field>
        <Button variant="primary" type="submit" disabled={create.isPending} className="justify-center py-1.5" data-testid="create-proxy">
          {create.isPending ? 'Creating…' : 'Create proxy'}
        </Button>
      </div>
      <ErrorNote error={create.error} testId="create-error" />
    </form>
  );
}
