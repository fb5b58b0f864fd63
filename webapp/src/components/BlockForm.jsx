import { useEffect, useState } from 'react';
import { proxiesApi } from '../lib/api.js';
import { useAction } from '../hooks.js';
import { Button, ErrorNote, Field, INPUT } from './ui.jsx';

/**
 * A proxy settings block (`cache`, `fault_options`, `logging`, …) as a form built from its
 * fields: booleans as checkboxes, anything else as text read back as a number when it is one,
 * empty as null. Saved whole by PATCH, since a block sent replaces the stored one. An `enabled`
 * field becomes the `toggle` checkbox, which saves at once.
 */
export function BlockForm({ proxy, name, toggle, onSaved }) {
  const block = proxy[name];
  const [draft, setDraft] = useState(null);
  const save = useAction();
  const stored = JSON.stringify(block);
  useEffect(() => setDraft(null), [proxy.id, stored]);
  if (!block || typeof block !== 'object') return null;

  const current = draft || block;
  const submit = async (next) => {
    if (await save.run(() => proxiesApi.update(proxy.id, { [name]: next }))) {
      setDraft(null);
      onSaved();
    }
  };
  const invalid = (field) => !!save.error && save.error.field === `${name}.${field}`;
  const fields = Object.keys(block).filter((f) => !(toggle && f === 'enabled'));

  return (
    <div className="space-y-3" data-testid={`block-${name}`}>
      {toggle ? (
        <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-800">
          <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={!!block.enabled} disabled={save.busy}
            onChange={(e) => submit({ ...block, enabled: e.target.checked })} data-testid={`${name}-enabled`} />
          {toggle}
        </label>
      ) : null}
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {fields.map((field) => (typeof block[field] === 'boolean' ? (
          <label key={field} className="inline-flex items-center gap-2 self-end pb-1 text-xs text-slate-700">
            <input type="checkbox" className="accent-indigo-600" checked={!!current[field]}
              onChange={(e) => setDraft({ ...current, [field]: e.target.checked })} />
            {field}
          </label>
        ) : (
          <Field key={field} label={field} invalid={invalid(field)}>
            <input className={INPUT} value={current[field] ?? ''} placeholder="none"
              onChange={(e) => setDraft({ ...current, [field]: readScalar(e.target.value) })} />
          </Field>
        )))}
      </div>
      {draft ? (
        <div className="flex gap-2">
          <Button variant="primary" onClick={() => submit(current)} disabled={save.busy}>Save</Button>
          <Button onClick={() => setDraft(null)}>Discard</Button>
        </div>
      ) : null}
      <ErrorNote error={save.error} />
    </div>
  );
}

function readScalar(text) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}
