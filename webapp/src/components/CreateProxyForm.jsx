import { useState } from 'react';
import { proxiesApi } from '../lib/api.js';
import { useAction } from '../hooks.js';
import { Button, ErrorNote, Field, INPUT } from './ui.jsx';

const EMPTY = { name: '', provider: '', upstream: '', port: '' };

/** POST /api/proxies. Only what the user filled in is sent; the server's refusal is shown as is. */
export function CreateProxyForm({ providers, onCreated }) {
  const [form, setForm] = useState(EMPTY);
  const { busy, error, run } = useAction();
  const provider = form.provider || providers[0] || '';
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });

  const submit = async (e) => {
    e.preventDefault();
    const body = { name: form.name.trim(), provider };
    if (form.upstream.trim()) body.upstream = form.upstream.trim();
    if (form.port.trim()) body.port = /^\d+$/.test(form.port.trim()) ? Number(form.port.trim()) : form.port.trim();
    const created = await run(() => proxiesApi.create(body));
    if (created) {
      setForm(EMPTY);
      onCreated(created);
    }
  };

  const invalid = (name) => !!error && error.field === name;

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="create-proxy-form">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-[1.2fr_1fr_2fr_0.8fr_auto] xl:items-start">
        <Field label="Name" invalid={invalid('name')}>
          <input className={INPUT} name="name" value={form.name} onChange={set('name')} placeholder="my-proxy" required />
        </Field>
        <Field label="Provider" invalid={invalid('provider')}>
          <select className={INPUT} name="provider" value={provider} onChange={set('provider')}>
            {providers.length === 0 ? <option value="">no provider loaded</option> : null}
            {providers.map((id) => <option key={id} value={id}>{id}</option>)}
          </select>
        </Field>
        <Field label="Upstream" invalid={invalid('upstream')}>
          <input className={INPUT} name="upstream" value={form.upstream} onChange={set('upstream')} placeholder="provider default, e.g. https://api.openai.com" />
        </Field>
        <Field label="Port" invalid={invalid('port')}>
          <input className={INPUT} name="port" value={form.port} onChange={set('port')} placeholder="auto" inputMode="numeric" />
        </Field>
        <div className="sm:col-span-2 xl:col-span-1 xl:pt-5">
          <Button variant="primary" type="submit" disabled={busy || !provider} data-testid="create-proxy" className="w-full justify-center py-1.5 xl:w-auto">
            {busy ? 'Creating…' : 'Create proxy'}
          </Button>
        </div>
      </div>
      <ErrorNote error={error} testId="create-error" />
    </form>
  );
}
