import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, endpointMissing, parseJson, proxiesApi } from '../lib/api.ts';
import { age, bytes, count, percent } from '../lib/format.ts';
import type { CacheItem, Proxy } from '../lib/types.ts';
import { keys } from '../queries.ts';
import { BlockForm } from '../components/forms.tsx';
import { Button, ConfirmButton, ErrorNote, Stat, Unavailable } from '../components/ui.tsx';
import { useToast } from '../components/toasts.tsx';

/** A cassette file as the import endpoint takes it (NDJSON); the API's refusal is kept as said. */
async function importCassette(id: string, file: File, apiKey: string): Promise<{ imported: number; evicted: number }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', accept: 'application/json' };
  if (apiKey.trim()) headers['x-faultline-api-key'] = apiKey.trim();
  const response = await fetch(`/api/proxies/${encodeURIComponent(id)}/cache/import`, { method: 'POST', headers, body: await file.text() });
  const json = parseJson(await response.text()) as { error?: { message?: string; field?: string }; imported: number; evicted: number } | null;
  if (!response.ok) throw new ApiError(response.status, json?.error?.message || response.statusText, json?.error?.field || null);
  return json!;
}

/** A proxy's cache: its settings, counters, entries (with a preview), clear, export, import. */
export function CachePanel({ proxy }: { proxy: Proxy }) {
  const cache = useQuery({ queryKey: keys.cache(proxy.id), queryFn: () => proxiesApi.cache(proxy.id), refetchInterval: 3000 });
  const client = useQueryClient();
  const toast = useToast();
  const file = useRef<HTMLInputElement>(null);
  const [apiKey, setApiKey] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: keys.cache(proxy.id) });
  const clear = useMutation({
    mutationFn: () => proxiesApi.clearCache(proxy.id) as Promise<{ deleted?: number }>,
    onSuccess: (a) => { toast.ok(`Cache cleared${a && a.deleted !== undefined ? `: ${a.deleted} entries deleted` : ''}`); refresh(); },
  });
  const remove = useMutation({
    mutationFn: (key: string) => proxiesApi.removeCacheEntry(proxy.id, key),
    onSuccess: () => { toast.ok('Entry removed'); refresh(); },
  });
  const load = useMutation<{ imported: number; evicted: number }, ApiError, File>({
    mutationFn: (f) => importCassette(proxy.id, f, apiKey),
    onSuccess: (a) => { toast.ok(`Cassette imported: ${a.imported} entries${a.evicted ? `, ${a.evicted} evicted` : ''}`); refresh(); },
  });

  if (proxy.cache === undefined) return <Unavailable what="The response cache" endpoint="the proxy's cache settings" />;
  const data = cache.data;
  const stats = (data && data.stats) || {};

  return (
    <div className="space-y-4" data-testid="cache-panel">
      <BlockForm proxy={proxy} name="cache" what="Cache settings" toggle="Cache responses of this proxy" />
      {cache.isError && endpointMissing(cache.error) ? <Unavailable what="Cache statistics" endpoint="GET /api/proxies/{id}/cache" /> : (
        <>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Stat label="Hit rate" value={percent(stats.hit_rate)} testId="cache-hit-rate" />
            <Stat label="Hits · misses · bypass" value={`${count(stats.hits)} · ${count(stats.misses)} · ${count(stats.bypasses)}`} />
            <Stat label="Entries" value={count(data && data.entries)} testId="cache-entries" />
            <Stat label="Stored" value={bytes(data && data.bytes)} />
          </div>
          <div className="flex flex-wrap items-end gap-2">
            <ConfirmButton confirm="Really clear all entries?" onConfirm={() => clear.mutate()} disabled={clear.isPending} data-testid="cache-clear">Clear cache</ConfirmButton>
            <a className="link text-xs focus-ring" href={proxiesApi.cacheExportUrl(proxy.id)} download data-testid="cache-export">Export as cassette</a>
            <span className="mx-1 h-5 border-l border-slate-200 dark:border-slate-700" aria-hidden />
            <label className="text-xs">
              <span className="muted mr-1">Import for API key (optional)</span>
              <input className="input inline-block w-40" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="callers without a key" name="import_api_key" />
            </label>
            <input ref={file} type="file" accept=".ndjson,.jsonl,application/x-ndjson" className="sr-only" aria-label="Cassette file to import" tabIndex={-1} id={`cassette-${proxy.id}`} data-testid="cassette-file"
              onChange={(e) => { const f = e.target.files && e.target.files[0]; if (f) load.mutate(f); e.target.value = ''; }} />
            <Button onClick={() => file.current && file.current.click()} disabled={load.isPending} data-testid="cassette-import">
              {load.isPending ? 'Importing…' : 'Import a cassette…'}
            </Button>
          </div>
          <ErrorNote error={load.error} testId="import-error" />
          <ErrorNote error={clear.error || remove.error || (cache.isError ? cache.error : null)} />
          <EntryTable items={(data && data.items) || []} onRemove={(key) => remove.mutate(key)} busy={remove.isPending} />
        </>
      )}
    </div>
  );
}

const previewOf = (item: CacheItem) => item.preview ?? item.last_user_message ?? null;

function EntryTable({ items, onRemove, busy }: { items: CacheItem[]; onRemove: (key: string) => void; busy: boolean }) {
  if (items.length === 0) return <p className="muted text-xs">No cached responses.</p>;
  return (
    <div className="-mx-4 overflow-x-auto">
      <table className="w-full min-w-[720px] text-xs" data-testid="cache-table">
        <thead>
          <tr><th className="th pl-4">Model</th><th className="th">Path</th><th className="th">Last user message</th><th className="th text-right">Size</th><th className="th text-right">Hits</th><th className="th">Age</th><th className="th pr-4" /></tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key} className="row" data-testid="cache-row">
              <td className="td pl-4">{item.model || '—'}{item.stream ? <span className="ml-1 text-indigo-600 dark:text-indigo-300">stream</span> : null}</td>
              <td className="td font-mono">{item.path}</td>
              <td className="td max-w-[20rem] truncate" title={previewOf(item) || `key ${item.key}`}>{previewOf(item) || <span className="muted font-mono">{String(item.key).slice(0, 12)}…</span>}</td>
              <td className="td text-right tabular-nums">{bytes(item.size)}</td>
              <td className="td text-right tabular-nums">{count(item.hits)}</td>
              <td className="td muted whitespace-nowrap" title={item.created_at}>{age(item.created_at)}</td>
              <td className="td pr-4 text-right"><Button onClick={() => onRemove(item.key)} disabled={busy} aria-label={`Remove cached ${item.model || ''} entry ${String(item.key).slice(0, 8)}`}>Remove</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

