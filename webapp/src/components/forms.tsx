// Forms generated from descriptions: a described parameter becomes a labelled input of its type,
// so a third-party fault strategy or provider gets a form without UI code.
import { useEffect, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { proxiesApi, type ApiError } from '../lib/api.ts';
import { fieldFor, paramLabel, readParam } from '../lib/faults.ts';
import type { ParamSpec, Proxy } from '../lib/types.ts';
import { keys } from '../queries.ts';
import { Button, ErrorNote, Field, INPUT } from './ui.tsx';
import { useToast } from './toasts.tsx';

/** PATCH of a proxy with a toast on success; the refusal stays on the form (mutation.error). */
export function useProxyUpdate(proxy: Proxy, what: string) {
  const client = useQueryClient();
  const toast = useToast();
  return useMutation<Proxy, ApiError, Record<string, unknown>>({
    mutationFn: (changes) => proxiesApi.update(proxy.id, changes),
    onSuccess: () => {
      toast.ok(`${what} saved`);
      client.invalidateQueries({ queryKey: keys.proxies });
    },
  });
}

/**
 * The text an input shows: as typed while it still reads as `value` ("4" on the way to 429, or
 * "1e3"), else `value` itself, e.g. after the entry above was removed and this input now shows
 * the next entry.
 */
function useTypedText(value: unknown, format: (v: unknown) => string, read: (t: string) => unknown): [string, (t: string) => void] {
  const [text, setText] = useState(() => format(value));
  const shown = JSON.stringify(read(text)) === JSON.stringify(value) ? text : format(value);
  return [shown, setText];
}

/** One described parameter. A value that does not read is passed up as typed, so saving is refused. */
export function ParamInput({ spec, value, onChange, idPrefix = '' }: { spec: ParamSpec; value: unknown; onChange: (v: unknown) => void; idPrefix?: string }) {
  const field = fieldFor(spec);
  const read = (raw: unknown) => {
    const result = readParam(spec, raw);
    return result.error ? String(raw) : result.value;
  };
  const [text, setText] = useTypedText(value, (v) => (v === undefined || v === null ? '' : String(v)), read);
  const error = field.kind === 'checkbox' ? null : readParam(spec, text).error || null;
  const update = (raw: unknown) => onChange(read(raw));
  const help = `${field.help}${spec.default !== undefined && spec.default !== null && field.kind !== 'checkbox' ? ` (default ${spec.default})` : ''}`;

  if (field.kind === 'checkbox') {
    return (
      <label className="inline-flex items-start gap-2 self-center text-xs">
        <input type="checkbox" className="mt-0.5 accent-indigo-600" name={`${idPrefix}${spec.name}`} data-testid={`param-${spec.name}`}
          checked={Boolean(value ?? spec.default ?? false)} onChange={(e) => update(e.target.checked)} />
        <span><span className="font-medium">{field.label}</span>{field.help ? <span className="muted block">{field.help}</span> : null}</span>
      </label>
    );
  }
  return (
    <Field label={`${field.label}${field.required ? ' *' : ''}`} help={help} error={error}>
      {field.kind === 'select' ? (
        <select className={INPUT} name={`${idPrefix}${spec.name}`} value={value === undefined || value === null ? '' : String(value)} data-testid={`param-${spec.name}`} onChange={(e) => update(e.target.value)}>
          <option value="">{spec.default !== undefined && spec.default !== null ? `default (${spec.default})` : '—'}</option>
          {(field.choices || []).map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      ) : (
        <input className={INPUT} name={`${idPrefix}${spec.name}`} type={field.kind === 'number' ? 'number' : 'text'} step={field.step} min={field.min ?? undefined} max={field.max ?? undefined}
          placeholder={field.placeholder} value={text} data-testid={`param-${spec.name}`} required={field.required}
          onChange={(e) => { setText(e.target.value); update(e.target.value); }} />
      )}
    </Field>
  );
}

/** Values of described parameters as a grid of inputs; undefined drops a key (its default applies). */
export function ParamsForm({ specs, values, onChange, idPrefix }: { specs: ParamSpec[]; values: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void; idPrefix?: string }) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {specs.map((spec) => (
        <ParamInput key={spec.name} spec={spec} value={values[spec.name]} idPrefix={idPrefix}
          onChange={(value) => {
            const next = { ...values };
            if (value === undefined) delete next[spec.name];
            else next[spec.name] = value;
            onChange(next);
          }} />
      ))}
    </div>
  );
}

function readScalar(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}

/**
 * A proxy settings block (`cache`, `fault_options`, `logging`, …) as a form built from its
 * fields, with human labels: booleans as checkboxes, anything else as text read back as a number
 * when it is one, empty as null. Saved whole by PATCH, since a block sent replaces the stored
 * one. An `enabled` field becomes the `toggle` checkbox, which saves at once.
 */
export function BlockForm({ proxy, name, toggle, what }: { proxy: Proxy; name: keyof Proxy; toggle?: string; what: string }) {
  const block = proxy[name] as Record<string, unknown> | undefined;
  const [draft, setDraft] = useState<Record<string, unknown> | null>(null);
  const save = useProxyUpdate(proxy, what);
  const stored = JSON.stringify(block);
  useEffect(() => setDraft(null), [proxy.id, stored]);
  if (!block || typeof block !== 'object') return null;

  const current = draft || block;
  const submit = (next: Record<string, unknown>) => save.mutate({ [name]: next }, { onSuccess: () => setDraft(null) });
  const invalid = (field: string) => !!save.error && save.error.field === `${String(name)}.${field}`;
  const fields = Object.keys(block).filter((f) => !(toggle && f === 'enabled'));

  return (
    <div className="space-y-3" data-testid={`block-${String(name)}`}>
      {toggle ? (
        <label className="inline-flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" className="h-4 w-4 accent-indigo-600" checked={!!block.enabled} disabled={save.isPending}
            onChange={(e) => submit({ ...block, enabled: e.target.checked })} data-testid={`${String(name)}-enabled`} />
          {toggle}
        </label>
      ) : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {fields.map((field) => (typeof block[field] === 'boolean' ? (
          <label key={field} className="inline-flex items-center gap-2 self-end pb-1 text-xs">
            <input type="checkbox" className="accent-indigo-600" name={field} checked={!!current[field]}
              onChange={(e) => setDraft({ ...current, [field]: e.target.checked })} />
            {paramLabel(field)}
          </label>
        ) : (
          <Field key={field} label={paramLabel(field)} invalid={invalid(field)}>
            <input className={INPUT} name={field} value={current[field] === null || current[field] === undefined ? '' : String(current[field])} placeholder="none"
              onChange={(e) => setDraft({ ...current, [field]: readScalar(e.target.value) })} />
          </Field>
        )))}
      </div>
      {draft ? (
        <div className="flex gap-2">
          <Button variant="primary" onClick={() => submit(current)} disabled={save.isPending} data-testid={`${String(name)}-save`}>Save</Button>
          <Button onClick={() => setDraft(null)}>Discard</Button>
        </div>
      ) : null}
      <ErrorNote error={save.error} />
    </div>
  );
}
