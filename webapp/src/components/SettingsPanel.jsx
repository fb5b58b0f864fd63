import { useEffect, useState } from 'react';
import { proxiesApi } from '../lib/api.js';
import { useAction } from '../hooks.js';
import { BlockForm } from './BlockForm.jsx';
import { Button, ErrorNote, Field, INPUT } from './ui.jsx';

const formOf = (proxy) => ({
  name: proxy.name,
  upstream: proxy.upstream || '',
  port: String(proxy.port ?? ''),
  require_api_key: !!proxy.require_api_key,
  options: JSON.stringify(proxy.options || {}, null, 2),
});

/** PATCH of the proxy's own fields; only what changed is sent, so a running proxy keeps its port. */
export function SettingsPanel({ proxy, onChanged }) {
  const [form, setForm] = useState(() => formOf(proxy));
  const save = useAction();
  useEffect(() => setForm(formOf(proxy)), [proxy.id, proxy.updated_at]); // eslint-disable-line react-hooks/exhaustive-deps

  let options;
  let optionsError = null;
  try {
    options = JSON.parse(form.options || '{}');
    if (!options || typeof options !== 'object' || Array.isArray(options)) optionsError = 'must be a JSON object';
  } catch (e) {
    optionsError = `not valid JSON: ${e.message}`;
  }

  const changes = {};
  const original = formOf(proxy);
  if (form.name.trim() !== original.name) changes.name = form.name.trim();
  if (form.upstream.trim() !== original.upstream) changes.upstream = form.upstream.trim() || null;
  if (form.port.trim() !== original.port) changes.port = /^\d+$/.test(form.port.trim()) ? Number(form.port.trim()) : form.port.trim() || null;
  if (form.require_api_key !== original.require_api_key) changes.require_api_key = form.require_api_key;
  if (!optionsError && JSON.stringify(options) !== JSON.stringify(proxy.options || {})) changes.options = options;

  const set = (name) => (e) => setForm({ ...form, [name]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const invalid = (name) => !!(save.error && save.error.field && save.error.field.split('.')[0] === name);
  const submit = async () => {
    if (await save.run(() => proxiesApi.update(proxy.id, changes))) onChanged();
  };

  return (
    <div className="space-y-3" data-testid="settings-panel">
      <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
        <Field label="Name" invalid={invalid('name')}><input className={INPUT} value={form.name} onChange={set('name')} /></Field>
        <Field label="Upstream" invalid={invalid('upstream')}><input className={INPUT} value={form.upstream} onChange={set('upstream')} placeholder="provider default" /></Field>
        <Field label="Port" invalid={invalid('port')} help="Changed without closing the old port first"><input className={INPUT} value={form.port} onChange={set('port')} placeholder="auto" /></Field>
      </div>
      <label className="inline-flex items-center gap-2 text-xs text-slate-700">
        <input type="checkbox" className="accent-indigo-600" checked={form.require_api_key} onChange={set('require_api_key')} />
        Refuse calls without an API key (OpenAI's own 401)
      </label>
      <Field label={`Provider options (${proxy.provider})`} error={optionsError} invalid={invalid('options')}>
        <textarea className={`${INPUT} h-24 font-mono text-xs`} spellCheck={false} value={form.options} onChange={set('options')} />
      </Field>
      <div className="flex gap-2">
        <Button variant="primary" onClick={submit} disabled={save.busy || !!optionsError || Object.keys(changes).length === 0}>Save settings</Button>
        {Object.keys(changes).length ? <Button onClick={() => setForm(formOf(proxy))}>Discard</Button> : null}
      </div>
      <ErrorNote error={save.error} />
      {proxy.logging ? (
        <div className="border-t border-slate-100 pt-3">
          <BlockForm proxy={proxy} name="logging" toggle="Log every request (bodies only when bodies is checked, cut at max_body_bytes)" onSaved={onChanged} />
        </div>
      ) : null}
    </div>
  );
}
