import { useEffect, useRef, useState } from 'react';
import { api, enc, parseJson, sessionGone } from '../lib/api.js';
import { clock, count, ms, usd } from '../lib/format.js';
import { followSse } from '../lib/sse.js';
import { Button, Card, Unavailable } from './ui.jsx';

const KEEP = 200;

/**
 * The newest requests first: the last ones from GET /api/logs, then each new one as
 * GET /api/logs/stream sends it. `proxyId` narrows both to one proxy.
 */
export function LiveTraffic({ proxyId, proxyNames }) {
  const [entries, setEntries] = useState([]);
  const [state, setState] = useState('connecting');
  const [missed, setMissed] = useState(0);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    setEntries([]);
    setMissed(0);
    const filter = proxyId ? `proxy=${enc(proxyId)}` : '';
    let current = true; // a late answer for the proxy shown before is dropped
    const add = (list) => current && setEntries((old) => merge(list, old));
    api('GET', `/api/logs?limit=50${filter ? `&${filter}` : ''}`)
      .then((page) => add(page && Array.isArray(page.entries) ? page.entries : []))
      .catch(() => {}); // history is a nicety; the live stream below reports its own state
    const close = followSse(`/api/logs/stream${filter ? `?${filter}` : ''}`, {
      onState: (s) => {
        setState(s);
        if (s === 'signed-out') sessionGone();
      },
      onEvent: ({ event, data }) => {
        const json = parseJson(data);
        if (!json) return;
        if (event === 'dropped') setMissed((n) => n + (json.missed || 0));
        else if (!pausedRef.current) add([json]);
      },
    });
    return () => {
      current = false;
      close();
    };
  }, [proxyId]);

  const actions = state === 'missing' ? null : (
    <>
      <StreamState state={state} />
      <Button onClick={() => setPaused(!paused)} data-testid="pause">{paused ? 'Resume' : 'Pause'}</Button>
      <Button onClick={() => setEntries([])}>Clear</Button>
    </>
  );

  return (
    <Card title={proxyId ? `Live traffic · ${proxyNames[proxyId] || proxyId}` : 'Live traffic · all proxies'} actions={actions} testId="live-traffic">
      {state === 'missing' ? <Unavailable what="The live request log" endpoint="GET /api/logs/stream" /> : (
        <>
          {missed ? <p className="mb-2 text-xs text-amber-700">{missed} entries were skipped because the page could not keep up.</p> : null}
          <div className="-mx-4 max-h-[28rem] overflow-auto">
            <table className="w-full min-w-[900px] text-left text-xs" data-testid="traffic-table">
              <thead className="sticky top-0 bg-white text-[11px] uppercase tracking-wide text-slate-500 shadow-[0_1px_0_var(--color-slate-200)]">
                <tr>
                  <th className="px-4 py-2 font-medium">Time</th>
                  <th className="px-2 py-2 font-medium">Proxy</th>
                  <th className="px-2 py-2 font-medium">Request</th>
                  <th className="px-2 py-2 font-medium">Model</th>
                  <th className="px-2 py-2 font-medium">Status</th>
                  <th className="px-2 py-2 text-right font-medium">Latency</th>
                  <th className="px-2 py-2 font-medium">Cache</th>
                  <th className="px-2 py-2 font-medium">Fault</th>
                  <th className="px-2 py-2 text-right font-medium">Tokens</th>
                  <th className="px-4 py-2 text-right font-medium">Cost</th>
                </tr>
              </thead>
              <tbody className="font-mono">
                {entries.length === 0 ? (
                  <tr><td colSpan={10} className="px-4 py-6 text-center font-sans text-slate-500">Waiting for requests…</td></tr>
                ) : entries.map((e) => <Row key={e.request_id || `${e.ts}-${e.path}`} entry={e} proxyName={proxyNames[e.proxy_id]} />)}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

/** New entries first, each request once, at most KEEP. */
function merge(incoming, old) {
  const seen = new Set();
  return [...incoming, ...old]
    .filter((e) => e && !(e.request_id && (seen.has(e.request_id) || !seen.add(e.request_id))))
    .sort((a, b) => (Date.parse(b.ts) || 0) - (Date.parse(a.ts) || 0))
    .slice(0, KEEP);
}

function Row({ entry, proxyName }) {
  const tokens = entry.total_tokens ?? ((entry.prompt_tokens ?? 0) + (entry.completion_tokens ?? 0) || null);
  return (
    <tr className="border-t border-slate-100 hover:bg-slate-50" data-testid="traffic-row">
      <td className="whitespace-nowrap px-4 py-1.5 text-slate-500">{clock(entry.ts)}</td>
      <td className="max-w-[8rem] truncate px-2 py-1.5 font-sans text-slate-700" title={entry.proxy_id}>{proxyName || entry.proxy_id}</td>
      <td className="max-w-[16rem] truncate px-2 py-1.5 text-slate-800" title={entry.request_id}>
        <span className="text-slate-500">{entry.method}</span> {entry.path}{entry.stream ? <span className="ml-1 text-indigo-600">stream</span> : null}
      </td>
      <td className="max-w-[10rem] truncate px-2 py-1.5 text-slate-700">{entry.model || '—'}</td>
      <td className="px-2 py-1.5"><HttpStatus status={entry.status} errorType={entry.error_type} /></td>
      <td className="whitespace-nowrap px-2 py-1.5 text-right tabular-nums text-slate-700">{ms(entry.latency_ms)}</td>
      <td className="px-2 py-1.5">{entry.cache_status ? <CacheTag status={entry.cache_status} /> : <span className="text-slate-300">—</span>}</td>
      <td className="max-w-[8rem] truncate px-2 py-1.5 text-amber-700">{entry.fault || <span className="text-slate-300">—</span>}</td>
      <td className="px-2 py-1.5 text-right tabular-nums text-slate-700" title={entry.usage_estimated ? 'estimated' : undefined}>
        {tokens === null ? '—' : `${entry.usage_estimated ? '~' : ''}${count(tokens)}`}
      </td>
      <td className="whitespace-nowrap px-4 py-1.5 text-right tabular-nums text-slate-700">
        {entry.cost_usd === null || entry.cost_usd === undefined ? (tokens ? <span className="text-slate-400" title="model missing from the price table">unknown</span> : '—') : usd(entry.cost_usd)}
      </td>
    </tr>
  );
}

function HttpStatus({ status, errorType }) {
  const tone = !status ? 'text-rose-700' : status >= 500 ? 'text-rose-700' : status >= 400 ? 'text-amber-700' : 'text-emerald-700';
  return <span className={`font-semibold ${tone}`} title={errorType || undefined}>{status || errorType || 'reset'}</span>;
}

function CacheTag({ status }) {
  const tone = status === 'HIT' ? 'bg-emerald-50 text-emerald-700' : status === 'MISS' ? 'bg-slate-100 text-slate-600' : 'bg-amber-50 text-amber-700';
  return <span className={`rounded px-1 py-0.5 text-[10px] font-semibold ${tone}`}>{status}</span>;
}

function StreamState({ state }) {
  const label = { connecting: 'connecting…', live: 'live', retrying: 'reconnecting…' }[state] || state;
  return (
    <span className="inline-flex items-center gap-1 text-xs text-slate-500" data-testid="stream-state">
      <span className={`h-2 w-2 rounded-full ${state === 'live' ? 'animate-pulse bg-emerald-500' : 'bg-amber-400'}`} />
      {label}
    </span>
  );
}
