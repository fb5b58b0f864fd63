import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { endpointMissing, proxiesApi, type ApiError } from '../lib/api.ts';
import {
  SCENARIOS, STATUS_CASES, applicableScenario, describeFaults, faultsOf, newEntry, parseFaults, statusCaseOf, strategyLabel, type Strategies,
} from '../lib/faults.ts';
import type { FaultEntry, Proxy, Schedule } from '../lib/types.ts';
import { keys, useStrategies } from '../queries.ts';
import { BlockForm, ParamsForm } from '../components/forms.tsx';
import { Button, ErrorNote, Field, INPUT, Unavailable } from '../components/ui.tsx';
import { useToast } from '../components/toasts.tsx';

/**
 * A proxy's faults (GET/PUT /api/proxies/{id}/faults): a form per entry built from the strategy's
 * described parameters, a sentence saying what the list does, one-click scenarios, or the whole
 * list as JSON. Nothing is saved until "Save faults".
 */
export function FaultsPanel({ proxy }: { proxy: Proxy }) {
  const { strategies } = useStrategies();
  const saved = useQuery({ queryKey: keys.faults(proxy.id), queryFn: () => proxiesApi.faults(proxy.id) });
  const [draft, setDraft] = useState<{ entries: FaultEntry[]; text: string } | null>(null);
  const [asJson, setAsJson] = useState(false);
  const client = useQueryClient();
  const toast = useToast();
  const save = useMutation<unknown, ApiError, FaultEntry[]>({
    mutationFn: (faults) => proxiesApi.saveFaults(proxy.id, faults),
    onSuccess: () => {
      toast.ok('Faults saved: in effect from the next request');
      setDraft(null);
      client.invalidateQueries({ queryKey: keys.faults(proxy.id) });
      client.invalidateQueries({ queryKey: keys.proxies });
      client.invalidateQueries({ queryKey: ['series'] });
    },
  });

  if (saved.isError && endpointMissing(saved.error)) return <Unavailable what="Fault injection" endpoint="GET /api/proxies/{id}/faults" />;
  if (saved.isPending) return <p className="muted text-xs">Loading faults…</p>;
  if (saved.isError && !saved.data) return <ErrorNote error={saved.error} />;

  const entries = draft ? draft.entries : faultsOf(saved.data);
  const change = (next: FaultEntry[]) => setDraft({ entries: next, text: JSON.stringify(next, null, 2) });
  const text = draft ? draft.text : JSON.stringify(entries, null, 2);
  // Both editors are checked the same way: the form keeps a bad value as typed, so it is caught here.
  const parsed = parseFaults(asJson ? text : JSON.stringify(entries), strategies);
  const firstId = strategies.has('http-error') ? 'http-error' : strategies.keys().next().value;
  const applyScenario = (id: string) => {
    const scenario = SCENARIOS.find((s) => s.id === id)!;
    const { faults, missing } = applicableScenario(scenario.faults, strategies);
    change(faults);
    toast.ok(`“${scenario.name}” applied to the form: review, then Save faults${missing.length ? ` (left out, not loaded: ${missing.join(', ')})` : ''}`);
  };

  return (
    <div className="space-y-4" data-testid="faults-panel">
      <section aria-label="Scenarios" className="space-y-2">
        <h3 className="text-xs font-semibold">Scenarios</h3>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2 xl:grid-cols-4">
          {SCENARIOS.map((s) => (
            <button key={s.id} type="button" onClick={() => applyScenario(s.id)} data-testid={`scenario-${s.id}`}
              className="focus-ring rounded-lg border border-slate-200 p-2 text-left text-xs hover:border-indigo-400 hover:bg-indigo-50 dark:border-slate-700 dark:hover:bg-indigo-950">
              <span className="block font-medium">{s.name}</span>
              <span className="muted block">{s.summary}</span>
            </button>
          ))}
        </div>
      </section>

      <p className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-950 ring-1 ring-indigo-100 dark:bg-indigo-950 dark:text-indigo-100 dark:ring-indigo-900" data-testid="faults-preview" aria-live="polite">
        {parsed.error ? 'The list has an error (below).' : describeFaults(parsed.value || entries, strategies)}
      </p>

      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="muted text-xs">Entries are asked in order, each with its own share of requests; the first error, hang or reset answers.</p>
        <label className="inline-flex items-center gap-2 text-xs">
          <input type="checkbox" className="accent-indigo-600" checked={asJson} onChange={(e) => setAsJson(e.target.checked)} data-testid="faults-json-toggle" />
          Edit as JSON
        </label>
      </div>

      {asJson ? (
        <Field label="Faults (JSON array)">
          <textarea className={`${INPUT} h-56 font-mono text-xs`} spellCheck={false} value={text} data-testid="faults-json"
            onChange={(e) => {
              const result = parseFaults(e.target.value, strategies);
              setDraft({ entries: result.value || entries, text: e.target.value });
            }} />
        </Field>
      ) : (
        <div className="space-y-3">
          {entries.map((entry, i) => (
            <FaultEntryForm key={i} index={i} entry={entry} strategies={strategies}
              onChange={(next) => change(entries.map((e, j) => (j === i ? next : e)))}
              onRemove={() => change(entries.filter((_, j) => j !== i))} />
          ))}
          <Button onClick={() => change([...entries, newEntry(firstId || 'http-error')])} data-testid="fault-add">+ Add fault</Button>
        </div>
      )}

      {draft && parsed.error ? <p className="text-xs text-rose-600 dark:text-rose-300" role="alert" data-testid="faults-invalid">{parsed.error}</p> : null}
      <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3 dark:border-slate-800">
        <Button variant="primary" onClick={() => parsed.value && save.mutate(parsed.value)} disabled={!draft || save.isPending || !!parsed.error} data-testid="faults-save">
          {save.isPending ? 'Saving…' : 'Save faults'}
        </Button>
        {draft ? <Button onClick={() => { setDraft(null); save.reset(); }}>Discard changes</Button> : null}
        <Button variant="danger" onClick={() => save.mutate([])} disabled={save.isPending || entries.length === 0} data-testid="faults-clear">Remove all faults</Button>
      </div>
      <ErrorNote error={save.error} testId="faults-error" />
      {proxy.fault_options ? (
        <div className="border-t border-slate-100 pt-3 dark:border-slate-800">
          <h3 className="text-xs font-semibold">Fault options</h3>
          <p className="muted mb-2 text-xs">A seed replays the same faults run after run; a request may force its own faults with the X-Faultline-Fault header when allowed.</p>
          <BlockForm proxy={proxy} name="fault_options" what="Fault options" />
        </div>
      ) : null}
    </div>
  );
}

function FaultEntryForm({ index, entry, strategies, onChange, onRemove }: {
  index: number; entry: FaultEntry; strategies: Strategies; onChange: (e: FaultEntry) => void; onRemove: () => void;
}) {
  const strategy = strategies.get(entry.strategy);
  const specs = strategy && strategy.params;
  const params = entry.params || {};
  const isSetting = entry.strategy === 'upstream-timeout';
  const schedule = entry.schedule || {};
  const setSchedule = (key: keyof Schedule, raw: string) => {
    const next: Schedule = { ...schedule };
    if (raw.trim() === '') delete next[key];
    else next[key] = Number(raw);
    const rest = { ...entry };
    delete rest.schedule;
    onChange(Object.keys(next).length ? { ...rest, schedule: next } : rest);
  };
  const pct = entry.rate === undefined ? 100 : Math.round(entry.rate * 10000) / 100;
  // As typed while the field has focus (an emptied field stays empty), else the entry's rate.
  const [rateText, setRateText] = useState<string | null>(null);
  return (
    <fieldset className="rounded-lg border border-slate-200 p-3 dark:border-slate-700" data-testid="fault-entry">
      <legend className="px-1 text-xs font-semibold">Fault {index + 1}: {strategyLabel(entry.strategy)}</legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[1fr_9rem_auto] sm:items-start">
        <Field label="What happens" help={strategy ? strategy.description : 'not described by this Faultline'}>
          <select className={INPUT} value={entry.strategy} data-testid="fault-strategy"
            onChange={(e) => onChange({ ...entry, strategy: e.target.value, params: {} })}>
            {strategies.has(entry.strategy) ? null : <option value={entry.strategy}>{entry.strategy}</option>}
            {[...strategies.keys()].map((id) => <option key={id} value={id}>{strategyLabel(id)}</option>)}
          </select>
        </Field>
        {isSetting ? <span /> : (
          <Field label="Share of requests (%)">
            <input className={INPUT} type="number" min="0" max="100" step="any" value={rateText ?? String(pct)} data-testid="fault-rate"
              onBlur={() => setRateText(null)}
              onChange={(e) => {
                setRateText(e.target.value);
                onChange({ ...entry, rate: e.target.value === '' ? undefined : Number(e.target.value) / 100 });
              }} />
          </Field>
        )}
        <div className="sm:pt-5"><Button variant="danger" onClick={onRemove} aria-label={`Remove fault ${index + 1}`}>Remove</Button></div>
      </div>
      {entry.strategy === 'http-error' ? (
        <div className="mt-3 max-w-md">
          <Field label="Error case" help="Sets the status (and code) a real provider answers with; fine-tune below.">
            <select className={INPUT} data-testid="status-case" value={statusCaseOf(params)}
              onChange={(e) => {
                const chosen = STATUS_CASES.find((c) => c.id === e.target.value);
                if (chosen) onChange({ ...entry, params: { ...chosen.params } });
              }}>
              <option value="">custom</option>
              {STATUS_CASES.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
            </select>
          </Field>
        </div>
      ) : null}
      {specs ? (
        specs.length ? <div className="mt-3"><ParamsForm specs={specs} values={params} idPrefix={`f${index}.`} onChange={(next) => onChange({ ...entry, params: next })} /></div> : null
      ) : (
        <div className="mt-3">
          <Field label="Params (JSON object)" help="This strategy's parameters are not described; see its plugin's documentation.">
            <input className={`${INPUT} font-mono text-xs`} defaultValue={JSON.stringify(params)}
              onChange={(e) => {
                try {
                  onChange({ ...entry, params: JSON.parse(e.target.value || '{}') });
                } catch {
                  // kept as typed until it reads
                }
              }} />
          </Field>
        </div>
      )}
      {isSetting ? null : (
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-3" data-testid="fault-schedule">
          <Field label="From (s after saving)" help="empty: at once">
            <input className={INPUT} type="number" min="0" step="any" value={schedule.from_sec ?? ''} name={`f${index}.from_sec`} onChange={(e) => setSchedule('from_sec', e.target.value)} />
          </Field>
          <Field label="Until (s after saving)" help="empty: no end">
            <input className={INPUT} type="number" min="0" step="any" value={schedule.until_sec ?? ''} name={`f${index}.until_sec`} onChange={(e) => setSchedule('until_sec', e.target.value)} />
          </Field>
          <Field label="Only the next N requests" help="empty: all">
            <input className={INPUT} type="number" min="1" step="1" value={schedule.next_requests ?? ''} name={`f${index}.next_requests`} onChange={(e) => setSchedule('next_requests', e.target.value)} />
          </Field>
        </div>
      )}
    </fieldset>
  );
}
