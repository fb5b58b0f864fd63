import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { enc, logsApi, parseJson, sessionGone } from '../lib/api.ts';
import { clock, count, ms, usd } from '../lib/format.ts';
import { followLog, type LiveState } from '../lib/live.ts';
import { exportUrl, logQuery, matches, merge, tokensOf, type LogFilter } from '../lib/logs.ts';
import { strategyLabel } from '../lib/faults.ts';
import type { LogEntry } from '../lib/types.ts';
import { useProxies, useStrategies } from '../queries.ts';
import { Button, Card, ErrorNote, Field, INPUT, Unavailable } from '../components/ui.tsx';

const CLASSES = ['', '2xx', '4xx', '5xx'];

/**
 * Requests, newest first: the last ones GET /api/logs has for the filter, then each new one as
 * the live stream sends it. Paused, new entries are counted but not shown, and the label says so.
 */
export function TrafficConsole({ proxyId }: { proxyId?: string }) {
  const proxies = useProxies();
  const { strategies } = useStrategies();
  const names = useMemo(() => Object.fromEntries((proxies.data || []).map((p) => [p.id, p.name])), [proxies.data]);
  const [filter, setFilter] = useState<LogFilter>({ proxy: proxyId });
  const [statusClass, setStatusClass] = useState('');
  const effective: LogFilter = { ...filter, proxy: proxyId || filter.proxy, status: [filter.status, statusClass].filter(Boolean).join(',') };
  const query = logQuery(effective);
  query.set('limit', '100');
  const qs = query.toString();
  const [live, setLive] = useState<LogEntry[]>([]);
  const [state, setState] = useState<LiveState>('connecting');
  const [paused, setPaused] = useState(false);
  // The history is read again every few seconds while the feed runs: whatever the live stream
  // missed (a reconnect, an entry logged before it started) shows up; a paused feed stays still.
  const history = useQuery({ queryKey: ['logs', qs], queryFn: () => logsApi.page(qs),
    refetchInterval: paused ? false : 5_000 });
  const refetchHistory = useRef(history.refetch);
  refetchHistory.current = history.refetch;
  const [held, setHeld] = useState(0);
  const [missed, setMissed] = useState(0);
  const [selected, setSelected] = useState<LogEntry | null>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const filterRef = useRef(effective);
  filterRef.current = effective;

  useEffect(() => setLive([]), [qs]);
  const streamProxy = proxyId || filter.proxy || '';
  useEffect(() => {
    setLive([]);
    return followLog(`/api/logs/stream${streamProxy ? `?proxy=${enc(streamProxy)}` : ''}`, {
      onState: (s) => {
        setState(s);
        // Entries logged between the history's answer and the stream's start reach neither: read
        // the history again once the stream is live (the merge keeps each request once).
        if (s === 'live') void refetchHistory.current();
        if (s === 'signed-out') sessionGone();
      },
      onDropped: (n) => setMissed((m) => m + n),
      onEntry: (data) => {
        const entry = parseJson(data) as LogEntry | null;
        if (!entry || !matches(entry, filterRef.current)) return;
        if (pausedRef.current) setHeld((n) => n + 1);
        else setLive((old) => merge([entry], old));
      },
    });
  }, [streamProxy]);

  const all = merge(live, (history.data && history.data.entries) || []);
  const rows = all.filter((e) => matches(e, effective));
  const set = (name: keyof LogFilter) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setFilter({ ...filter, [name]: e.target.value });
  const resume = () => {
    setPaused(false);
    setHeld(0);
    history.refetch();
  };

  const actions = state === 'missing' ? null : (
    <>
      <StreamState state={paused ? 'paused' : state} held={held} />
      {paused ? <Button onClick={resume} data-testid="pause">Resume</Button> : <Button onClick={() => setPaused(true)} data-testid="pause">Pause</Button>}
      <ExportMenu filter={effective} />
    </>
  );

  return (
    <Card title={proxyId ? `Traffic · ${names[proxyId] || proxyId}` : 'Traffic · all proxies'} actions={actions} testId="live-traffic">
      <form className="mb-3 grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-7" onSubmit={(e) => e.preventDefault()} aria-label="Filters" data-testid="log-filters">
        {!proxyId ? (
          <Field label="Proxy">
            <select className={INPUT} value={filter.proxy || ''} onChange={set('proxy')} name="proxy">
              <option value="">all</option>
              {(proxies.data || []).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </Field>
        ) : null}
        <Field label="Status"><input className={INPUT} name="status" value={filter.status || ''} onChange={set('status')} placeholder="429, 503" /></Field>
        <Field label="Status class">
          <select className={INPUT} name="status_class" value={statusClass} onChange={(e) => setStatusClass(e.target.value)}>
            {CLASSES.map((c) => <option key={c} value={c}>{c || 'any'}</option>)}
          </select>
        </Field>
        <Field label="Fault">
          <select className={INPUT} name="fault" value={filter.fault || ''} onChange={set('fault')}>
            <option value="">any or none</option>
            <option value="any">any fault</option>
            <option value="none">no fault</option>
            {[...strategies.keys()].map((id) => <option key={id} value={id}>{strategyLabel(id)}</option>)}
          </select>
        </Field>
        <Field label="Model"><input className={INPUT} name="model" value={filter.model || ''} onChange={set('model')} placeholder="gpt-4o-mini" /></Field>
        <Field label="Cache">
          <select className={INPUT} name="cache" value={filter.cache || ''} onChange={set('cache')}>
            <option value="">any</option><option value="HIT">HIT</option><option value="MISS">MISS</option><option value="BYPASS">BYPASS</option><option value="none">cache off</option>
          </select>
        </Field>
        <Field label="Search"><input className={INPUT} type="search" name="text" value={filter.text || ''} onChange={set('text')} placeholder="request id, path, error" /></Field>
      </form>
      {state === 'missing' ? <Unavailable what="The live request log" endpoint="GET /api/logs/stream" /> : null}
      {missed ? <p className="mb-2 text-xs text-amber-700">{missed} entries were skipped because the page could not keep up.</p> : null}
      <ErrorNote error={history.error} />
      <div className="lg:flex lg:gap-3">
        <div className="-mx-4 max-h-[32rem] min-w-0 flex-1 overflow-auto lg:mx-0">
          <table className="w-full min-w-[860px] text-xs" data-testid="traffic-table">
            <thead className="sticky top-0 bg-white dark:bg-slate-900">
              <tr>
                <th className="th pl-4">Time</th><th className="th">Proxy</th><th className="th">Request</th><th className="th">Model</th>
                <th className="th">Status</th><th className="th text-right">Latency</th><th className="th">Cache</th><th className="th">Fault</th>
                <th className="th text-right">Tokens</th><th className="th pr-4 text-right">Cost</th>
              </tr>
            </thead>
            <tbody className="font-mono">
              {rows.length === 0 ? (
                <tr><td colSpan={10} className="muted px-4 py-6 text-center font-sans">{history.isPending ? 'Loading…' : 'No request matches yet.'}</td></tr>
              ) : rows.map((e) => (
                <Row key={e.request_id || `${e.ts}-${e.path}`} entry={e} proxyName={names[e.proxy_id]} selected={selected === e}
                  onOpen={() => setSelected(selected && selected.request_id === e.request_id ? null : e)} />
              ))}
            </tbody>
          </table>
        </div>
        {selected ? <EntryDetail entry={selected} proxyName={names[selected.proxy_id]} onClose={() => setSelected(null)} /> : null}
      </div>
    </Card>
  );
}

function ExportMenu({ filter }: { filter: LogFilter }) {
  return (
    <span className="inline-flex items-center gap-1 text-xs" data-testid="export">
      <span className="muted">Export:</span>
      {(['csv', 'json', 'ndjson'] as const).map((f) => (
        <a key={f} href={exportUrl(filter, f)} download className="link rounded px-1 focus-ring" data-testid={`export-${f}`}>{f.toUpperCase()}</a>
      ))}
    </span>
  );
}

function Row({ entry, proxyName, selected, onOpen }: { entry: LogEntry; proxyName?: string; selected: boolean; onOpen: () => void }) {
  const tokens = tokensOf(entry);
  return (
    <tr className={`row cursor-pointer hover:bg-slate-50 dark:hover:bg-slate-800/50 ${selected ? 'bg-indigo-50 dark:bg-indigo-950' : ''}`} data-testid="traffic-row"
      tabIndex={0} aria-selected={selected} onClick={onOpen} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(); } }}>
      <td className="td muted whitespace-nowrap pl-4">{clock(entry.ts)}</td>
      <td className="td max-w-[8rem] truncate font-sans" title={entry.proxy_id}>{proxyName || entry.proxy_id}</td>
      <td className="td max-w-[16rem] truncate" title={entry.request_id}>
        <span className="muted">{entry.method}</span> {entry.path}{entry.stream ? <span className="ml-1 text-indigo-600 dark:text-indigo-300">stream</span> : null}
      </td>
      <td className="td max-w-[10rem] truncate">{entry.model || '—'}</td>
      <td className="td"><HttpStatus status={entry.status} errorType={entry.error_type} /></td>
      <td className="td whitespace-nowrap text-right tabular-nums">{ms(entry.latency_ms)}</td>
      <td className="td">{entry.cache_status ? <CacheTag status={entry.cache_status} /> : <span className="muted">—</span>}</td>
      <td className="td max-w-[8rem] truncate text-amber-700 dark:text-amber-300">{entry.fault || <span className="muted">—</span>}</td>
      <td className="td text-right tabular-nums" title={entry.usage_estimated ? 'estimated' : undefined}>{tokens === null ? '—' : `${entry.usage_estimated ? '~' : ''}${count(tokens)}`}</td>
      <td className="td whitespace-nowrap pr-4 text-right tabular-nums">{costText(entry, tokens)}</td>
    </tr>
  );
}

function costText(entry: LogEntry, tokens: number | null) {
  if (entry.cost_usd === null || entry.cost_usd === undefined) return tokens ? <span className="muted" title="model missing from the price table">unknown</span> : '—';
  return usd(entry.cost_usd);
}

/** Everything the log keeps about one request. */
function EntryDetail({ entry, proxyName, onClose }: { entry: LogEntry; proxyName?: string; onClose: () => void }) {
  const rows: Array<[string, React.ReactNode]> = [
    ['Request id', <code key="id">{entry.request_id || '—'}</code>],
    ['Time', entry.ts],
    ['Proxy', proxyName || entry.proxy_id],
    ['Caller', entry.client_ip || '—'],
    ['Request', `${entry.method || ''} ${entry.path || ''}${entry.stream ? ' (stream)' : ''}`],
    ['Model', entry.model || '—'],
    ['Status', `${entry.status || 'none sent'}${entry.outcome ? ` · ${entry.outcome}` : ''}`],
    ['Error', entry.error_type ? `${entry.error_type}${entry.error_message ? `: ${entry.error_message}` : ''}` : '—'],
    ['retry-after', entry.retry_after !== undefined && entry.retry_after !== null ? `${entry.retry_after} s` : '—'],
    ['Fault applied', entry.fault || 'none'],
    ['Latency', `${ms(entry.latency_ms)} total · first byte ${ms(entry.ttfb_ms)} · upstream ${ms(entry.upstream_ms)}`],
    ['Cache', entry.cache_status || 'off'],
    ['Tokens', `${count(entry.prompt_tokens)} in · ${count(entry.completion_tokens)} out${entry.usage_estimated ? ' (estimated)' : ''}`],
    ['Cost', `${costText(entry, tokensOf(entry)) as string}${entry.cost_saved_usd ? ` · saved ${usd(entry.cost_saved_usd)}` : ''}`],
  ];
  return (
    <aside className="mt-3 w-full shrink-0 rounded-lg border border-slate-200 p-3 text-xs dark:border-slate-700 lg:mt-0 lg:w-96" data-testid="entry-detail" aria-label="Request details">
      <div className="mb-2 flex items-center justify-between">
        <h3 className="text-sm font-semibold">Request details</h3>
        <Button onClick={onClose} aria-label="Close request details">Close</Button>
      </div>
      <dl className="grid grid-cols-[7rem_1fr] gap-x-2 gap-y-1">
        {rows.map(([k, v]) => <FragmentRow key={k} k={k} v={v} />)}
      </dl>
      <Body title="Request body" text={entry.request_body} />
      <Body title="Response body" text={entry.response_body} />
      {entry.request_body === null || entry.request_body === undefined ? <p className="muted mt-2">Bodies are kept only when the proxy's logging has "bodies" on (Settings).</p> : null}
    </aside>
  );
}

function FragmentRow({ k, v }: { k: string; v: React.ReactNode }) {
  return (<><dt className="muted">{k}</dt><dd className="break-all">{v}</dd></>);
}

function Body({ title, text }: { title: string; text?: string | null }) {
  if (text === null || text === undefined) return null;
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // a stream or a cut body: as it was
  }
  return (
    <details className="mt-2" open>
      <summary className="cursor-pointer font-medium">{title}</summary>
      <pre tabIndex={0} aria-label={title} className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 dark:bg-slate-800">{shown}</pre>
    </details>
  );
}

function HttpStatus({ status, errorType }: { status: number; errorType?: string | null }) {
  const tone = !status || status >= 500 ? 'text-rose-700 dark:text-rose-300' : status >= 400 ? 'text-amber-700 dark:text-amber-300' : 'text-emerald-700 dark:text-emerald-300';
  return <span className={`font-semibold ${tone}`} title={errorType || undefined}>{status || errorType || 'reset'}</span>;
}

function CacheTag({ status }: { status: string }) {
  const tone = status === 'HIT' ? 'bg-emerald-50 text-emerald-700' : status === 'MISS' ? 'bg-slate-100 text-slate-600' : 'bg-amber-50 text-amber-700';
  return <span className={`rounded px-1 py-0.5 text-[10px] font-semibold ${tone}`}>{status}</span>;
}

function StreamState({ state, held }: { state: LiveState | 'paused'; held: number }) {
  const label = { connecting: 'connecting…', live: 'live', retrying: 'reconnecting…', paused: 'paused', 'signed-out': 'signed out', missing: 'not available', failed: 'stopped (error)' }[state];
  return (
    <span className="muted inline-flex items-center gap-1 text-xs" role="status">
      <span aria-hidden className={`h-2 w-2 rounded-full ${state === 'live' ? 'animate-pulse bg-emerald-500' : state === 'paused' ? 'bg-slate-400' : 'bg-amber-400'}`} />
      <span data-testid="stream-state">{label}</span>
      {state === 'paused' && held ? <span data-testid="held">({held} new)</span> : null}
    </span>
  );
}
