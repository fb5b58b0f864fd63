import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { endpointMissing, proxiesApi, type ApiError } from '../lib/api.ts';
import { ms } from '../lib/format.ts';
import type { PlaygroundAnswer, Proxy } from '../lib/types.ts';
import { useProxies } from '../queries.ts';
import { Button, Card, ErrorNote, Field, INPUT, Unavailable } from '../components/ui.tsx';

/**
 * Sends a chat request through a proxy and shows what came back: status, headers, timing, body.
 * The proxy listens on another port (another origin, which the page's CSP does not reach), so
 * the admin API forwards it: POST /api/proxies/{id}/playground.
 */
export function Playground({ proxy }: { proxy: Proxy }) {
  const [model, setModel] = useState('gpt-4o-mini');
  const [system, setSystem] = useState('');
  const [message, setMessage] = useState('Say hello in five words.');
  const [stream, setStream] = useState(false);
  // A proxy that requires a key answers 401 without one, as it would anyone; kept in this form only.
  const [apiKey, setApiKey] = useState('');
  const send = useMutation<PlaygroundAnswer, ApiError>({
    mutationFn: () => proxiesApi.playground(proxy.id, {
      model,
      stream,
      messages: [...(system.trim() ? [{ role: 'system', content: system }] : []), { role: 'user', content: message }],
      ...(apiKey.trim() ? { api_key: apiKey.trim() } : {}),
    }),
  });
  const a = send.data;
  return (
    <div className="space-y-3" data-testid="playground">
      <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); send.mutate(); }}>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_auto] sm:items-end">
          <Field label="Model"><input className={INPUT} name="model" value={model} onChange={(e) => setModel(e.target.value)} required /></Field>
          <label className="inline-flex items-center gap-2 pb-1.5 text-xs">
            <input type="checkbox" className="accent-indigo-600" name="stream" checked={stream} onChange={(e) => setStream(e.target.checked)} />Stream the answer
          </label>
        </div>
        <Field label="API key (optional)" help="Sent as the caller's key for this request only; needed when the proxy requires one.">
          <input className={INPUT} type="password" autoComplete="off" name="api_key" value={apiKey} onChange={(e) => setApiKey(e.target.value)} placeholder="sk-…" />
        </Field>
        <Field label="System message (optional)"><textarea className={`${INPUT} h-14`} name="system" value={system} onChange={(e) => setSystem(e.target.value)} /></Field>
        <Field label="User message"><textarea className={`${INPUT} h-20`} name="message" value={message} onChange={(e) => setMessage(e.target.value)} required /></Field>
        <Button variant="primary" type="submit" disabled={send.isPending || proxy.status !== 'running'} data-testid="playground-send">
          {send.isPending ? 'Sending…' : `Send through ${proxy.name}`}
        </Button>
        {proxy.status !== 'running' ? <p className="muted text-xs">Start the proxy to send a request through it.</p> : null}
      </form>
      {send.isError && endpointMissing(send.error) ? <Unavailable what="The playground" endpoint="POST /api/proxies/{id}/playground" />
        : <ErrorNote error={send.error} testId="playground-error" />}
      {a ? (
        <div className="space-y-2" data-testid="playground-answer">
          <div className="flex flex-wrap gap-3 text-sm">
            <span className={`font-semibold ${a.status >= 400 || !a.status ? 'text-rose-700 dark:text-rose-300' : 'text-emerald-700 dark:text-emerald-300'}`} data-testid="playground-status">HTTP {a.status || 'no answer'}</span>
            <span className="muted">first byte {ms(a.ttfb_ms)} · total {ms(a.total_ms)}</span>
            {a.headers['x-faultline-fault'] ? <span className="text-amber-700 dark:text-amber-300">fault: {a.headers['x-faultline-fault']}</span> : null}
          </div>
          <details>
            <summary className="cursor-pointer text-xs font-medium">Headers ({Object.keys(a.headers).length})</summary>
            <dl className="mt-1 grid grid-cols-[12rem_1fr] gap-x-2 font-mono text-xs">
              {Object.entries(a.headers).map(([k, v]) => <div key={k} className="contents"><dt className="muted">{k}</dt><dd className="break-all">{v}</dd></div>)}
            </dl>
          </details>
          <pre tabIndex={0} aria-label="Answer body" className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs dark:bg-slate-800" data-testid="playground-body">{pretty(a.body)}</pre>
        </div>
      ) : null}
    </div>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** /playground: pick a proxy, then the playground. */
export function PlaygroundPage() {
  const proxies = useProxies();
  const [id, setId] = useState('');
  const list = proxies.data || [];
  const proxy = list.find((p) => p.id === id) || list.find((p) => p.status === 'running') || list[0];
  return (
    <Card title="Playground">
      {!proxy ? <p className="muted text-sm">{proxies.isPending ? 'Loading…' : 'Create a proxy first.'}</p> : (
        <div className="space-y-3">
          <Field label="Proxy">
            <select className={`${INPUT} max-w-xs`} name="proxy" value={proxy.id} onChange={(e) => setId(e.target.value)}>
              {list.map((p) => <option key={p.id} value={p.id}>{p.name} ({p.status})</option>)}
            </select>
          </Field>
          <Playground key={proxy.id} proxy={proxy} />
        </div>
      )}
    </Card>
  );
}
