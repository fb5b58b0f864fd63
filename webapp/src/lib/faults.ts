// The fault editor's model: which strategies exist and what parameters they take (as the server
// describes them), how a form field reads a parameter, the words a person reads for each, and the
// preset scenarios. The server validates again on save and its message wins; these checks only
// catch typos early.
import type { FaultEntry, ParamSpec, PluginsAnswer, StrategiesAnswer, Strategy } from './types.ts';
import { percent, seconds } from './format.ts';

export type Strategies = Map<string, Strategy>;

/**
 * The strategies from GET /api/faults/strategies (an array, or {strategies: [...]}), as a Map of
 * id -> {id, description, params}. Falls back to the ids that GET /api/plugins lists as
 * "fault:<id>" extensions, whose parameters are then unknown (params: null).
 */
export function strategiesFrom(described: StrategiesAnswer | null | undefined, plugins?: PluginsAnswer | null): Strategies {
  const list = Array.isArray(described) ? described : described && described.strategies;
  const strategies: Strategies = new Map();
  if (Array.isArray(list)) {
    for (const s of list) {
      if (s && typeof s.id === 'string') {
        strategies.set(s.id, { id: s.id, description: s.description || '', params: Array.isArray(s.params) ? s.params : null });
      }
    }
    return strategies;
  }
  for (const plugin of (plugins && plugins.plugins) || []) {
    for (const extension of plugin.extensions || []) {
      const match = typeof extension === 'string' && /^fault(?:-strategy)?:(.+)$/.exec(extension);
      if (match) strategies.set(match[1], { id: match[1], description: '', params: null });
    }
  }
  return strategies;
}

/** The ids of providers GET /api/plugins lists ("provider:<id>" extensions), sorted. */
export function providersFrom(plugins: PluginsAnswer | null | undefined): string[] {
  const ids = new Set<string>();
  for (const plugin of (plugins && plugins.plugins) || []) {
    for (const extension of plugin.extensions || []) {
      if (typeof extension === 'string' && extension.startsWith('provider:')) ids.add(extension.slice('provider:'.length));
    }
  }
  return [...ids].sort();
}

/**
 * The option descriptions a provider publishes in GET /api/plugins, or null when it publishes
 * none (the settings then fall back to a JSON editor). Read from `providers[{id, options}]`
 * (top level or per plugin), a plugin's `options` keyed by provider id, or a plugin's `options`
 * list when it brings that one provider.
 */
export function providerOptions(plugins: PluginsAnswer | null | undefined, providerId: string): ParamSpec[] | null {
  if (!plugins) return null;
  const top = (plugins.providers || []).find((p) => p && p.id === providerId);
  if (top && Array.isArray(top.options)) return top.options;
  for (const plugin of plugins.plugins || []) {
    const nested = (plugin.providers || []).find((p) => p && p.id === providerId);
    if (nested && Array.isArray(nested.options)) return nested.options;
    if (!(plugin.extensions || []).includes(`provider:${providerId}`)) continue;
    const options = plugin.options;
    if (Array.isArray(options)) return options;
    if (options && typeof options === 'object' && Array.isArray((options as Record<string, ParamSpec[]>)[providerId])) {
      return (options as Record<string, ParamSpec[]>)[providerId];
    }
  }
  return null;
}

// Words for people. A third-party strategy or parameter not named here still reads well: its id
// is turned into words and its unit suffix (_ms, _sec) into "(ms)", "(s)".
const STRATEGY_LABELS: Record<string, string> = {
  'http-error': 'HTTP error',
  'rate-limit': 'Rate limit',
  latency: 'Added latency',
  hang: 'Hang',
  'stream-cut': 'Cut the stream',
  'stream-drip': 'Slow stream (drip)',
  'stream-corrupt': 'Corrupt a stream event',
  'stream-error': 'Error in the stream',
  'connection-reset': 'Connection reset',
  'upstream-timeout': 'Upstream timeout',
};

const PARAM_LABELS: Record<string, string> = {
  status: 'HTTP status',
  ms: 'Milliseconds',
  retry_after: 'Retry after (s)',
  requests_per_minute: 'Requests per minute',
  tokens_per_minute: 'Tokens per minute (0 = off)',
  sigma: 'Spread (sigma, lognormal)',
  then: 'Afterwards',
  seconds: 'Duration (s, 0 = forever)',
  event: 'Event number',
  ttl_seconds: 'Keep entries for (s)',
  max_entries: 'At most entries',
  max_bytes: 'At most bytes',
  cache_nonzero_temperature: 'Cache answers with temperature > 0',
  replay_timing: 'Replay original timing',
  header_override: 'Let a request force its own faults (X-Faultline-Fault header)',
  seed: 'Random seed (same faults run after run)',
  per_client_rps: 'Requests/s per address',
  per_key_rps: 'Requests/s per API key',
  burst: 'Burst',
  max_body_bytes: 'Body size kept (bytes)',
  bodies: 'Keep request and response bodies',
};

export function strategyLabel(id: string): string {
  return STRATEGY_LABELS[id] || words(id);
}

export function paramLabel(name: string): string {
  if (PARAM_LABELS[name]) return PARAM_LABELS[name];
  const unit = /_(ms|sec|seconds|bytes)$/.exec(name);
  const base = unit ? name.slice(0, -unit[0].length) : name;
  const suffix = unit ? ` (${{ ms: 'ms', sec: 's', seconds: 's', bytes: 'bytes' }[unit[1]]})` : '';
  return `${words(base)}${suffix}`;
}

function words(id: string): string {
  const s = id.replace(/[-_]+/g, ' ').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : id;
}

export interface FieldSpec {
  name: string;
  label: string;
  help: string;
  required: boolean;
  kind: 'select' | 'checkbox' | 'number' | 'text';
  choices?: string[];
  step?: number | 'any';
  min?: number | null;
  max?: number | null;
  placeholder?: string;
}

/** How to render one described parameter: an input kind and its attributes. */
export function fieldFor(spec: ParamSpec): FieldSpec {
  const common = { name: spec.name, label: paramLabel(spec.name), help: spec.description || '', required: !!spec.required };
  if (Array.isArray(spec.choices) && spec.choices.length) return { ...common, kind: 'select', choices: spec.choices };
  switch (spec.type) {
    case 'boolean':
      return { ...common, kind: 'checkbox' };
    case 'integer':
    case 'number':
      return { ...common, kind: 'number', step: spec.type === 'integer' ? 1 : 'any', min: spec.min, max: spec.max, placeholder: placeholder(spec) };
    default:
      return { ...common, kind: 'text', placeholder: placeholder(spec) };
  }
}

function placeholder(spec: ParamSpec): string {
  if (spec.default !== undefined && spec.default !== null) return `default ${spec.default}`;
  return spec.required ? 'required' : 'optional';
}

export type ReadResult = { value?: unknown; error?: string };

/**
 * Reads what a form field holds as the parameter's JSON value.
 * Returns {value} (undefined value = leave it out, so the default applies) or {error}.
 */
export function readParam(spec: ParamSpec, raw: unknown): ReadResult {
  if (spec.type === 'boolean') return { value: !!raw };
  const text = raw === undefined || raw === null ? '' : String(raw).trim();
  if (text === '') return spec.required ? { error: `${spec.name}: required` } : { value: undefined };
  if (spec.type === 'integer' || spec.type === 'number') {
    const n = Number(text);
    if (!Number.isFinite(n)) return { error: `${spec.name}: must be a number, got "${text}"` };
    if (spec.type === 'integer' && !Number.isInteger(n)) return { error: `${spec.name}: must be an integer, got ${text}` };
    if (spec.min !== undefined && spec.min !== null && n < spec.min) return { error: `${spec.name}: must be at least ${spec.min}` };
    if (spec.max !== undefined && spec.max !== null && n > spec.max) return { error: `${spec.name}: must be at most ${spec.max}` };
    return { value: n };
  }
  if (Array.isArray(spec.choices) && spec.choices.length && !spec.choices.includes(text)) {
    return { error: `${spec.name}: must be one of ${spec.choices.join(', ')}` };
  }
  return { value: text };
}

/** A new entry for a strategy: rate 1 and every parameter left to its default. */
export function newEntry(strategyId: string): FaultEntry {
  return { strategy: strategyId, rate: 1, params: {} };
}

/**
 * Checks the JSON editor's text: an array of {strategy, rate, params, ...} objects.
 * Returns {value} or {error} naming the entry and field, e.g. "[1].rate: must be from 0 to 1".
 */
export function parseFaults(text: string, strategies?: Strategies): { value?: FaultEntry[]; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(value)) return { error: 'must be a JSON array of faults, e.g. [{"strategy":"http-error","rate":0.1,"params":{"status":429}}]' };
  for (let i = 0; i < value.length; i++) {
    const error = entryError(value[i], strategies);
    if (error) return { error: `[${i}]${error}` };
  }
  return { value: value as FaultEntry[] };
}

function entryError(entry: unknown, strategies?: Strategies): string | null {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return ': must be an object';
  const e = entry as FaultEntry;
  if (typeof e.strategy !== 'string' || !e.strategy) return '.strategy: required';
  if (strategies && strategies.size && !strategies.has(e.strategy)) {
    return `.strategy: unknown "${e.strategy}"; known: ${[...strategies.keys()].join(', ')}`;
  }
  if (e.rate !== undefined && (typeof e.rate !== 'number' || e.rate < 0 || e.rate > 1)) {
    return '.rate: must be a number from 0 to 1';
  }
  if (e.params !== undefined && (e.params === null || typeof e.params !== 'object' || Array.isArray(e.params))) {
    return '.params: must be an object';
  }
  const s = e.schedule;
  if (s !== undefined) {
    if (!s || typeof s !== 'object') return '.schedule: must be an object';
    for (const key of ['from_sec', 'until_sec', 'next_requests'] as const) {
      const v = s[key];
      if (v !== undefined && (typeof v !== 'number' || v < 0)) return `.schedule.${key}: must be a number of at least 0`;
    }
    if (s.from_sec !== undefined && s.until_sec !== undefined && s.until_sec <= s.from_sec) {
      return '.schedule.until_sec: must be after from_sec';
    }
  }
  const specs = strategies && strategies.get(e.strategy) && strategies.get(e.strategy)!.params;
  if (specs) {
    for (const [name, given] of Object.entries(e.params || {})) {
      const spec = specs.find((p) => p.name === name);
      if (!spec) return `.params.${name}: unknown parameter of '${e.strategy}'`;
      const checked = readParam(spec, typeof given === 'boolean' ? given : String(given));
      if (checked.error || typeof given !== jsonType(spec)) return `.params.${checked.error || `${name}: must be ${jsonType(spec)}`}`;
    }
    for (const spec of specs) {
      if (spec.required && (e.params || {})[spec.name] === undefined) return `.params.${spec.name}: required`;
    }
  }
  return null;
}

function jsonType(spec: ParamSpec): string {
  return spec.type === 'integer' || spec.type === 'number' ? 'number' : spec.type === 'boolean' ? 'boolean' : 'string';
}

/** The proxy's faults as GET answers them: an array, or an object holding one. */
export function faultsOf(answer: unknown): FaultEntry[] {
  if (Array.isArray(answer)) return answer as FaultEntry[];
  if (answer && Array.isArray((answer as { faults?: unknown }).faults)) return (answer as { faults: FaultEntry[] }).faults;
  return [];
}

/** The errors a provider really answers, offered by the http-error status picker. */
export const STATUS_CASES: Array<{ id: string; label: string; params: Record<string, unknown> }> = [
  { id: '429-rate', label: '429 rate limit (retry-after 2 s)', params: { status: 429, retry_after: 2 } },
  { id: '429-quota', label: '429 quota exhausted (insufficient_quota)', params: { status: 429, code: 'insufficient_quota' } },
  { id: '400-context', label: '400 context length exceeded', params: { status: 400, code: 'context_length_exceeded' } },
  { id: '401', label: '401 invalid API key', params: { status: 401 } },
  { id: '500', label: '500 server error', params: { status: 500 } },
  { id: '502', label: '502 bad gateway', params: { status: 502 } },
  { id: '503', label: '503 service unavailable', params: { status: 503 } },
  { id: '529', label: '529 overloaded (Anthropic-style)', params: { status: 529 } },
];

/** The case the params match, or '' (custom). */
export function statusCaseOf(params: Record<string, unknown> | undefined): string {
  const p = params || {};
  const match = STATUS_CASES.find((c) => Object.entries(c.params).every(([k, v]) => p[k] === v)
    && Object.keys(p).every((k) => k in c.params || k === 'message' || k === 'type'));
  return match ? match.id : '';
}

/** One sentence per entry, in words: what the list does to requests. */
export function describeFaults(entries: FaultEntry[], strategies?: Strategies): string {
  if (entries.length === 0) return 'No faults: every request goes through untouched.';
  return entries.map((e) => describeEntry(e, strategies)).join(' ');
}

export function describeEntry(entry: FaultEntry, strategies?: Strategies): string {
  const specs = (strategies && strategies.get(entry.strategy)?.params) || [];
  const p = (name: string): unknown => {
    const given = (entry.params || {})[name];
    if (given !== undefined && given !== '') return given;
    return specs.find((s) => s.name === name)?.default;
  };
  const rate = entry.rate === undefined ? 1 : entry.rate;
  const who = rate >= 1 ? 'Every request' : rate <= 0 ? 'No request' : `${percent(rate)} of requests`;
  let what: string;
  switch (entry.strategy) {
    case 'http-error': {
      const code = p('code');
      const retry = p('retry_after');
      what = `${rate >= 1 ? 'gets' : 'get'} OpenAI's ${p('status') ?? 500}${code ? ` (${code})` : ''}${retry !== undefined && retry !== null ? ` with retry-after ${seconds(Number(retry))}` : ''}`;
      break;
    }
    case 'rate-limit': {
      const tpm = Number(p('tokens_per_minute') || 0);
      return `Requests are limited to ${p('requests_per_minute') ?? 60} per minute${tpm ? ` and ${tpm} tokens per minute` : ''}; beyond that, OpenAI's 429${scheduleSuffix(entry)}.`;
    }
    case 'latency': {
      const dist = String(p('distribution') || 'fixed');
      const delay = dist === 'uniform' ? `${p('min_ms')}–${p('max_ms')} ms` : `${p('ms')} ms`;
      what = `${rate >= 1 ? 'waits' : 'wait'} ${delay}${dist !== 'fixed' ? ` (${dist})` : ''} before the upstream call`;
      break;
    }
    case 'hang': {
      const s = Number(p('seconds') || 0);
      what = `${rate >= 1 ? 'hangs' : 'hang'} ${s ? `for ${seconds(s)}, then ${p('then') === 'continue' ? 'goes on' : p('then') === 'timeout' ? 'gets a 504' : 'is dropped'}` : 'forever'}`;
      break;
    }
    case 'stream-cut':
      what = `${rate >= 1 ? 'has its' : 'have their'} stream cut${p('after_events') !== undefined && p('after_events') !== null ? ` after ${p('after_events')} events` : ''}${p('after_ms') ? ` after ${p('after_ms')} ms` : ''}`;
      break;
    case 'stream-drip':
      what = `${rate >= 1 ? 'streams' : 'stream'} with ${p('delay_ms')} ms between events`;
      break;
    case 'stream-corrupt':
      what = `${rate >= 1 ? 'gets' : 'get'} stream event ${p('event')} as broken JSON`;
      break;
    case 'stream-error':
      what = `${rate >= 1 ? 'gets' : 'get'} an error event after ${p('after_events')} stream events`;
      break;
    case 'connection-reset':
      what = `${rate >= 1 ? 'has its' : 'have their'} connection dropped before any byte`;
      break;
    case 'upstream-timeout':
      return `The upstream has ${p('ms')} ms to answer, else a 504.`;
    default:
      what = `${rate >= 1 ? 'gets' : 'get'} "${strategyLabel(entry.strategy)}"`;
  }
  return `${who} ${what}${scheduleSuffix(entry)}.`;
}


function scheduleSuffix(entry: FaultEntry): string {
  const s = entry.schedule;
  if (!s) return '';
  const parts: string[] = [];
  const from = s.from_sec;
  const until = s.until_sec;
  if (from !== undefined && until !== undefined) parts.push(`from ${seconds(from)} to ${seconds(until)}`);
  else if (from !== undefined) parts.push(`from ${seconds(from)} on`);
  else if (until !== undefined) parts.push(`for the first ${seconds(until)}`);
  if (s.next_requests !== undefined) parts.push(`for the next ${s.next_requests} requests`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}

/** One-click presets of a realistic fault list; editable once applied. */
export const SCENARIOS: Array<{ id: string; name: string; summary: string; faults: FaultEntry[] }> = [
  {
    id: 'outage',
    name: 'Provider outage and recovery',
    summary: 'All requests fail with 503 from 10 s to 70 s, then 30% get 500 until 100 s, then all is well.',
    faults: [
      { strategy: 'http-error', rate: 1, params: { status: 503 }, schedule: { from_sec: 10, until_sec: 70 } },
      { strategy: 'http-error', rate: 0.3, params: { status: 500 }, schedule: { from_sec: 70, until_sec: 100 } },
    ],
  },
  {
    id: 'rate-limit-storm',
    name: 'Rate-limit storm',
    summary: 'A 30 requests/minute limit, and 20% of the rest get a 429 with retry-after 2 s.',
    faults: [
      { strategy: 'rate-limit', rate: 1, params: { requests_per_minute: 30 } },
      { strategy: 'http-error', rate: 0.2, params: { status: 429, retry_after: 2 } },
    ],
  },
  {
    id: 'broken-streams',
    name: 'Slow and broken streams',
    summary: 'Lognormal latency around 800 ms, half the streams drip, 20% are cut, 10% end with an error event.',
    faults: [
      { strategy: 'latency', rate: 1, params: { distribution: 'lognormal', ms: 800, sigma: 0.6 } },
      { strategy: 'stream-drip', rate: 0.5, params: { delay_ms: 300 } },
      { strategy: 'stream-cut', rate: 0.2, params: { after_events: 5 } },
      { strategy: 'stream-error', rate: 0.1, params: { after_events: 3 } },
    ],
  },
  {
    id: 'flaky-network',
    name: 'Flaky network',
    summary: '5% of connections dropped, 2% hang 10 s then drop, 30% wait 100–2000 ms.',
    faults: [
      { strategy: 'connection-reset', rate: 0.05, params: {} },
      { strategy: 'hang', rate: 0.02, params: { seconds: 10, then: 'reset' } },
      { strategy: 'latency', rate: 0.3, params: { distribution: 'uniform', min_ms: 100, max_ms: 2000 } },
    ],
  },
];

/** A scenario's faults that this Faultline can run, and the strategies it lacks. */
export function applicableScenario(faults: FaultEntry[], strategies: Strategies): { faults: FaultEntry[]; missing: string[] } {
  if (!strategies.size) return { faults, missing: [] };
  const missing = [...new Set(faults.filter((f) => !strategies.has(f.strategy)).map((f) => f.strategy))];
  return { faults: faults.filter((f) => strategies.has(f.strategy)).map((f) => structuredClone(f)), missing };
}
