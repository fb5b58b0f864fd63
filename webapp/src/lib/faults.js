// The fault editor's model: which strategies exist and what parameters they take (as the server
// describes them), how a form field reads a parameter, and how the JSON editor's text is checked.
// The server validates again on save and its message wins; these checks only catch typos early.

/**
 * The strategies from GET /api/faults/strategies (an array, or {strategies: [...]}), as a Map of
 * id -> {id, description, params}. Falls back to the ids that GET /api/plugins lists as
 * "fault:<id>" extensions, whose parameters are then unknown (params: null).
 */
export function strategiesFrom(described, plugins) {
  const list = Array.isArray(described) ? described : described && described.strategies;
  const strategies = new Map();
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
export function providersFrom(plugins) {
  const ids = new Set();
  for (const plugin of (plugins && plugins.plugins) || []) {
    for (const extension of plugin.extensions || []) {
      if (typeof extension === 'string' && extension.startsWith('provider:')) ids.add(extension.slice('provider:'.length));
    }
  }
  return [...ids].sort();
}

/** How to render one described parameter: an input kind and its attributes. */
export function fieldFor(spec) {
  const common = { name: spec.name, label: spec.name, help: spec.description || '', required: !!spec.required };
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

function placeholder(spec) {
  if (spec.default !== undefined && spec.default !== null) return `default ${spec.default}`;
  return spec.required ? 'required' : 'optional';
}

/**
 * Reads what a form field holds as the parameter's JSON value.
 * Returns {value} (undefined value = leave it out, so the default applies) or {error}.
 */
export function readParam(spec, raw) {
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
export function newEntry(strategyId) {
  return { strategy: strategyId, rate: 1, params: {} };
}

/**
 * Checks the JSON editor's text: an array of {strategy, rate, params, ...} objects.
 * Returns {value} or {error} naming the entry and field, e.g. "[1].rate: must be from 0 to 1".
 */
export function parseFaults(text, strategies) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON: ${e.message}` };
  }
  if (!Array.isArray(value)) return { error: 'must be a JSON array of faults, e.g. [{"strategy":"http-error","rate":0.1,"params":{"status":429}}]' };
  for (let i = 0; i < value.length; i++) {
    const error = entryError(value[i], strategies);
    if (error) return { error: `[${i}]${error}` };
  }
  return { value };
}

function entryError(entry, strategies) {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return ': must be an object';
  if (typeof entry.strategy !== 'string' || !entry.strategy) return '.strategy: required';
  if (strategies && strategies.size && !strategies.has(entry.strategy)) {
    return `.strategy: unknown "${entry.strategy}"; known: ${[...strategies.keys()].join(', ')}`;
  }
  if (entry.rate !== undefined && (typeof entry.rate !== 'number' || entry.rate < 0 || entry.rate > 1)) {
    return '.rate: must be a number from 0 to 1';
  }
  if (entry.params !== undefined && (entry.params === null || typeof entry.params !== 'object' || Array.isArray(entry.params))) {
    return '.params: must be an object';
  }
  const specs = strategies && strategies.get(entry.strategy) && strategies.get(entry.strategy).params;
  if (specs) {
    for (const [name, given] of Object.entries(entry.params || {})) {
      const spec = specs.find((s) => s.name === name);
      if (!spec) return `.params.${name}: unknown parameter of '${entry.strategy}'`;
      const checked = readParam(spec, typeof given === 'boolean' ? given : String(given));
      if (checked.error || typeof given !== jsonType(spec)) return `.params.${checked.error || `${name}: must be ${jsonType(spec)}`}`;
    }
    for (const spec of specs) {
      if (spec.required && (entry.params || {})[spec.name] === undefined) return `.params.${spec.name}: required`;
    }
  }
  return null;
}

function jsonType(spec) {
  return spec.type === 'integer' || spec.type === 'number' ? 'number' : spec.type === 'boolean' ? 'boolean' : 'string';
}

/** The proxy's faults as GET answers them: an array, or an object holding one. */
export function faultsOf(answer) {
  if (Array.isArray(answer)) return answer;
  if (answer && Array.isArray(answer.faults)) return answer.faults;
  return [];
}
