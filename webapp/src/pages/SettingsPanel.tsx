import { useEffect, useState } from 'react';
import { providerOptions } from '../lib/faults.ts';
import type { Proxy } from '../lib/types.ts';
import { usePlugins } from '../queries.ts';
import { BlockForm, ParamsForm, useProxyUpdate } from '../components/forms.tsx';
import { Button, ErrorNote, Field, INPUT } from '../components/ui.tsx';
import { readParam } from '../lib/faults.ts';

const formOf = (proxy: Proxy) => ({
  name: proxy.name,
  upstream: proxy.upstream || '',
  port: String(proxy.port ?? ''),
  require_api_key: !!proxy.require_api_key,
  options: (proxy.options || {}) as Record<string, unknown>,
  optionsText: JSON.stringify(proxy.options || {}, null, 2),
});

/**
 * PATCH of the proxy's own fields; only what changed is sent, so a running proxy keeps its port.
 * Provider options are a form generated from the description the provider publishes in GET
 * /api/plugins; a provider that publishes none gets a JSON editor.
 */
export function SettingsPanel({ proxy }: { proxy: Proxy }) {
  const plugins = usePlugins();
  const specs = providerOptions(plugins.data, proxy.provider);
  const [form, setForm] = useState(() => formOf(proxy));
  const save = useProxyUpdate(proxy, 'Settings');
  useEffect(() => setForm(formOf(proxy)), [proxy.id, proxy.updated_at]); // eslint-disable-line react-hooks/exhaustive-deps

  let options: unknown = form.options;
  let optionsError: string | null = null;
  if (!specs) {
    try {
      options = JSON.parse(form.optionsText || '{}');
      if (!options || typeof options !== 'object' || Array.isArray(options)) optionsError = 'must be a JSON object';
    } catch (e) {
      optionsError = `not valid JSON: ${(e as Error).message}`;
    }
  } else {
    for (const spec of specs) {
      const v = form.options[spec.name];
      const checked = v === undefined ? (spec.required ? { error: `${spec.name}: required` } : {}) : readParam(spec, typeof v === 'boolean' ? v : String(v));
      if (checked.error) { optionsError = checked.error; break; }
    }
  }

  const changes: Record<string, unknown> = {};
  const original = formOf(proxy);
  if (form.name.trim() !== original.name) changes.name = form.name.trim();
  if (form.upstream.trim() !== original.upstream) changes.upstream = form.upstream.trim() || null;
  if (form.port.trim() !== original.port) changes.port = /^\d+$/.test(form.port.trim()) ? Number(form.port.trim()) : form.port.trim() || null;
  if (form.require_api_key !== original.require_api_key) changes.require_api_key = form.require_api_key;
  if (!optionsError && JSON.stringify(options) !== JSON.stringify(proxy.options || {})) changes.options = options;

  const set = (name: 'name' | 'upstream' | 'port' | 'optionsText') => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setForm({ ...form, [name]: e.target.value });
  const invalid = (name: string) => !!(save.error && save.error.field && save.error.field.split('.')[0] === name);

  return (
    <div className="space-y-4" data-testid="settings-panel">
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <Field label="Name" invalid={invalid('name')}><input className={INPUT} name="name" value={form.name} onChange={set('name')} /></Field>
        <Field label="Upstream" invalid={invalid('upstream')} help="Base URL the provider forwards to"><input className={INPUT} name="upstream" value={form.upstream} onChange={set('upstream')} placeholder="provider default" /></Field>
        <Field label="Port" invalid={invalid('port')} help="Changed without closing the old port first"><input className={INPUT} name="port" value={form.port} onChange={set('port')} placeholder="auto" /></Field>
      </div>
      <label className="inline-flex items-center gap-2 text-xs">
        <input type="checkbox" className="accent-indigo-600" checked={form.require_api_key} onChange={(e) => setForm({ ...form, require_api_key: e.target.checked })} />
        Refuse calls without an API key (OpenAI's own 401)
      </label>
      <fieldset className="rounded-lg border border-slate-200 p-3 dark:border-slate-700" data-testid="provider-options">
        <legend className="px-1 text-xs font-semibold">Provider options ({proxy.provider})</legend>
        {specs ? (
          specs.length ? <ParamsForm specs={specs} values={form.options} idPrefix="options." onChange={(next) => setForm({ ...form, options: next })} />
            : <p className="muted text-xs">The {proxy.provider} provider takes no options.</p>
        ) : (
          <Field label="Options (JSON object)" help={`The ${proxy.provider} provider does not describe its options; see its documentation.`} error={optionsError} invalid={invalid('options')}>
            <textarea className={`${INPUT} h-24 font-mono text-xs`} spellCheck={false} value={form.optionsText} onChange={set('optionsText')} data-testid="options-json" />
          </Field>
        )}
      </fieldset>
      <div className="flex gap-2">
        <Button variant="primary" onClick={() => save.mutate(changes)} disabled={save.isPending || !!optionsError || Object.keys(changes).length === 0} data-testid="settings-save">
          {save.isPending ? 'Saving…' : 'Save settings'}
        </Button>
        {Object.keys(changes).length ? <Button onClick={() => setForm(formOf(proxy))}>Discard</Button> : null}
      </div>
      <ErrorNote error={save.error} testId="settings-error" />
      {proxy.logging ? (
        <div className="border-t border-slate-100 pt-3 dark:border-slate-800">
          <BlockForm proxy={proxy} name="logging" what="Logging" toggle="Log every request (bodies only when kept, cut at the size below)" />
        </div>
      ) : null}
    </div>
  );
}
