import { useState } from 'react';
import { api, endpointMissing, proxiesApi } from '../lib/api.js';
import { faultsOf, fieldFor, newEntry, parseFaults, readParam } from '../lib/faults.js';
import { useAction, usePoll } from '../hooks.js';
import { BlockForm } from './BlockForm.jsx';
import { Button, ErrorNote, Field, INPUT, Unavailable } from './ui.jsx';

/**
 * A proxy's faults (GET/PUT /api/proxies/{id}/faults): a form per entry built from the strategy's
 * described parameters, or the whole list as JSON. Nothing is saved until "Save faults".
 */
export function FaultsPanel({ proxy, strategies, onChanged }) {
  const saved = usePoll(() => proxiesApi.faults(proxy.id), 0, [proxy.id]);
  const [draft, setDraft] = useState(null);
  const [asJson, setAsJson] = useState(false);
  const save = useAction();

  if (saved.missing) return <Unavailable what="Fault injection" endpoint="GET /api/proxies/{id}/faults" />;
  if (!saved.loaded) return <p className="text-xs text-slate-500">Loading faults…</p>;
  if (saved.error && !saved.data) return <ErrorNote error={saved.error} />;

  const entries = draft ? draft.entries : faultsOf(saved.data);
  const change = (next) => setDraft({ entries: next, text: JSON.stringify(next, null, 2) });
  const text = draft ? draft.text : JSON.stringify(entries, null, 2);
  // Both editors are checked the same way: the form keeps a bad value as typed, so it is caught here.
  const parsed = parseFaults(asJson ? text : JSON.stringify(entries), strategies);
  const firstId = strategies.has('http-error') ? 'http-error' : strategies.keys().next().value;

  const submit = async () => {
    const result = await save.run(() => proxiesApi.saveFaults(proxy.id, parsed.value));
    if (result !== undefined) {
      setDraft(null);
      saved.reload();
    }
  };

  return (
    <div className="space-y-3" data-testid="faults-panel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-slate-600">
          {entries.length === 0 ? 'No faults: every request goes through untouched.' : `${entries.length} fault${entries.length > 1 ? 's' : ''}; each applies to its rate of requests.`}
        </p>
        <label className="inline-flex items-center gap-2 text-xs text-slate-600">
          <input type="checkbox" className="accent-indigo-600" checked={asJson} onChange={(e) => setAsJson(e.target.checked)} data-testid="faults-json-toggle" />
          Edit as JSON
        </label>
      </div>

      {asJson ? (
        <Field label="Faults (JSON array)">
          <textarea
            className={`${INPUT} h-56 font-mono text-xs`}
            spellCheck={false}
            value={text}
            data-testid="faults-json"
            onChange={(e) => {
              const result = parseFaults(e.target.value, strategies);
              setDraft({ entries: result.value || entries, text: e.target.value });
            }}
          />
        </Field>
      ) : (
        <div className="space-y-3">
          {entries.map((entry, i) => (
            <FaultEntryForm
              key={i}
              entry={entry}
              strategies={strategies}
              onChange={(next) => change(entries.map((e, j) => (j === i ? next : e)))}
              onRemove={() => change(entries.filter((_, j) => j !== i))}
            />
          ))}
          <Button onClick={() => change([...entries, newEntry(firstId || 'http-error')])} data-testid="fault-add">+ Add fault</Button>
        </div>
      )}

      {draft && parsed.error ? <p className="text-xs text-rose-600" data-testid="faults-invalid">{parsed.error}</p> : null}
      <div className="flex items-center gap-2 border-t border-slate-100 pt-3">
        <Button variant="primary" onClick={submit} disabled={!draft || save.busy || !!parsed.error} data-testid="faults-save">
          {save.busy ? 'Saving…' : 'Save faults'}
        </Button>
        {draft ? <Button onClick={() => { setDraft(null); save.setError(null); }}>Discard changes</Button> : null}
      </div>
      <ErrorNote error={save.error} testId="faults-error" />
      {proxy.fault_options ? (
        <div className="border-t border-slate-100 pt-3">
          <h3 className="text-xs font-semibold text-slate-700">Fault options</h3>
          <p className="mb-2 text-xs text-slate-500">A seed replays the same faults run after run; header_override lets a request force its own with X-Faultline-Fault.</p>
          <BlockForm proxy={proxy} name="fault_options" onSaved={onChanged} />
        </div>
      ) : null}
    </div>
  );
}

function FaultEntryForm({ entry, strategies, onChange, onRemove }) {
  const strategy = strategies.get(entry.strategy);
  const specs = strategy && strategy.params;
  const params = entry.params || {};
  const [rawParams, setRawParams] = useTypedText(entry.params, (p) => JSON.stringify(p || {}), readObject);

  return (
    <div className="rounded-lg border border-slate-200 p-3" data-testid="fault-entry">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_8rem_auto] sm:items-start">
        <Field label="Strategy" help={strategy ? strategy.description : 'not described by this Faultline'}>
          <select className={INPUT} value={entry.strategy} data-testid="fault-strategy"
            onChange={(e) => onChange({ ...entry, strategy: e.target.value, params: {} })}>
            {strategies.has(entry.strategy) ? null : <option value={entry.strategy}>{entry.strategy}</option>}
            {[...strategies.keys()].map((id) => <option key={id} value={id}>{id}</option>)}
          </select>
        </Field>
        <Field label="Rate (0–1)">
          <input className={INPUT} type="number" min="0" max="1" step="0.01" value={entry.rate ?? ''} data-testid="fault-rate"
            onChange={(e) => onChange({ ...entry, rate: e.target.value === '' ? undefined : Number(e.target.value) })} />
        </Field>
        <div className="sm:pt-5"><Button variant="danger" onClick={onRemove}>Remove</Button></div>
      </div>
      {specs ? (
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {specs.map((spec) => (
            <ParamInput key={`${entry.strategy}.${spec.name}`} spec={spec} value={params[spec.name]}
              onChange={(value) => {
                const next = { ...params };
                if (value === undefined) delete next[spec.name];
                else next[spec.name] = value;
                onChange({ ...entry, params: next });
              }} />
          ))}
        </div>
      ) : (
        <div className="mt-3">
          <Field label="Params (JSON object)" help="This strategy's parameters are not described; see its plugin's documentation.">
            <input className={`${INPUT} font-mono text-xs`} value={rawParams}
              onChange={(e) => {
                setRawParams(e.target.value);
                onChange({ ...entry, params: readObject(e.target.value) });
              }} />
          </Field>
        </div>
      )}
      {entry.schedule ? <p className="mt-2 text-xs text-slate-500">Schedule: <code>{JSON.stringify(entry.schedule)}</code> (edit as JSON to change)</p> : null}
    </div>
  );
}

/** One described parameter. A value that does not read is passed up as typed, so saving is refused. */
function ParamInput({ spec, value, onChange }) {
  const field = fieldFor(spec);
  const read = (raw) => {
    const result = readParam(spec, raw);
    return result.error ? String(raw) : result.value;
  };
  const [text, setText] = useTypedText(value, (v) => (v === undefined ? '' : String(v)), read);
  const error = field.kind === 'checkbox' ? null : readParam(spec, text).error;
  const update = (raw) => onChange(read(raw));

  if (field.kind === 'checkbox') {
    return (
      <label className="inline-flex items-center gap-2 self-center text-xs text-slate-700" title={field.help}>
        <input type="checkbox" className="accent-indigo-600" checked={value ?? spec.default ?? false} onChange={(e) => update(e.target.checked)} />
        {field.label}
      </label>
    );
  }
  return (
    <Field label={`${field.label}${field.required ? ' *' : ''}`} help={field.help} error={error}>
      {field.kind === 'select' ? (
        <select className={INPUT} value={value ?? ''} data-testid={`param-${spec.name}`} onChange={(e) => update(e.target.value)}>
          <option value="">{spec.default !== undefined ? `default (${spec.default})` : '—'}</option>
          {field.choices.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      ) : (
        <input className={INPUT} type={field.kind === 'number' ? 'number' : 'text'} step={field.step} min={field.min} max={field.max}
          placeholder={field.placeholder} value={text} data-testid={`param-${spec.name}`}
          onChange={(e) => { setText(e.target.value); update(e.target.value); }} />
      )}
    </Field>
  );
}

/**
 * The text an input shows: as typed while it still reads as `value` ("4" on the way to 429, or
 * "1e3"), else `value` itself, e.g. after the entry above was removed and this input now shows
 * the next entry.
 */
function useTypedText(value, format, read) {
  const [text, setText] = useState(() => format(value));
  const shown = JSON.stringify(read(text)) === JSON.stringify(value) ? text : format(value);
  return [shown, setText];
}

/** Params typed as JSON: the object, or the text as typed when it is none (saving is then refused). */
function readObject(text) {
  try {
    const value = JSON.parse(text || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : text;
  } catch {
    return text;
  }
}

/** The strategies this Faultline describes, or the ids its plugins list. */
export async function loadStrategies() {
  const plugins = await api('GET', '/api/plugins').catch(() => null);
  try {
    return { described: await api('GET', '/api/faults/strategies'), plugins };
  } catch (e) {
    if (!endpointMissing(e)) throw e;
    return { described: null, plugins };
  }
}
