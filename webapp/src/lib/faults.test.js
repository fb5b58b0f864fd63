import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldFor, parseFaults, providersFrom, readParam, strategiesFrom } from './faults.js';

// Shaped as GET /api/faults/strategies answers (FaultParamCheck.toJson on the server).
const DESCRIBED = [
  {
    id: 'http-error',
    description: 'Answers an HTTP error',
    params: [
      { name: 'status', type: 'integer', description: 'status', required: false, default: 500, min: 400, max: 599 },
      { name: 'message', type: 'string', description: 'text', required: false },
    ],
  },
  {
    id: 'latency',
    description: 'Delays',
    params: [
      { name: 'distribution', type: 'string', required: false, default: 'fixed', choices: ['fixed', 'uniform'] },
      { name: 'ms', type: 'number', required: true, min: 0 },
      { name: 'jitter', type: 'boolean', required: false },
    ],
  },
];
const strategies = strategiesFrom(DESCRIBED, null);

test('strategies come from the described list, in either answer shape', () => {
  assert.deepEqual([...strategies.keys()], ['http-error', 'latency']);
  assert.deepEqual([...strategiesFrom({ strategies: DESCRIBED }, null).keys()], ['http-error', 'latency']);
  assert.equal(strategies.get('latency').params.length, 3);
});

test('without a described list, fault ids listed by the plugins are used, parameters unknown', () => {
  const plugins = { plugins: [{ extensions: ['provider:mock', 'fault:hang', 'fault:http-error'] }, { extensions: ['provider:openai'] }] };
  const fallback = strategiesFrom(null, plugins);
  assert.deepEqual([...fallback.keys()], ['hang', 'http-error']);
  assert.equal(fallback.get('hang').params, null);
  assert.deepEqual(providersFrom(plugins), ['mock', 'openai']);
});

test('each parameter type gets its own form field', () => {
  const [status, message] = DESCRIBED[0].params;
  const [distribution, ms, jitter] = DESCRIBED[1].params;
  assert.deepEqual(
    { kind: fieldFor(status).kind, step: fieldFor(status).step, min: fieldFor(status).min, max: fieldFor(status).max, placeholder: fieldFor(status).placeholder },
    { kind: 'number', step: 1, min: 400, max: 599, placeholder: 'default 500' },
  );
  assert.equal(fieldFor(message).kind, 'text');
  assert.deepEqual(fieldFor(distribution).choices, ['fixed', 'uniform']);
  assert.equal(fieldFor(distribution).kind, 'select');
  assert.equal(fieldFor(ms).step, 'any');
  assert.equal(fieldFor(ms).required, true);
  assert.equal(fieldFor(jitter).kind, 'checkbox');
});

test('a typed value reads as its JSON type, or as an error naming the parameter', () => {
  const [status] = DESCRIBED[0].params;
  const [distribution, ms] = DESCRIBED[1].params;
  assert.deepEqual(readParam(status, '429'), { value: 429 });
  assert.deepEqual(readParam(status, ''), { value: undefined });
  assert.match(readParam(status, '42.5').error, /^status: must be an integer/);
  assert.match(readParam(status, '700').error, /^status: must be at most 599/);
  assert.match(readParam(status, 'x').error, /^status: must be a number/);
  assert.match(readParam(ms, '').error, /^ms: required/);
  assert.deepEqual(readParam(ms, '12.5'), { value: 12.5 });
  assert.match(readParam(distribution, 'normal').error, /must be one of fixed, uniform/);
  assert.deepEqual(readParam(DESCRIBED[1].params[2], true), { value: true });
});

test('the JSON editor accepts a valid list and names the entry and field of a bad one', () => {
  const good = '[{"strategy":"http-error","rate":0.5,"params":{"status":429}},{"strategy":"latency","params":{"ms":100},"schedule":{"next_requests":3}}]';
  assert.equal(parseFaults(good, strategies).value.length, 2);
  assert.match(parseFaults('[{"strategy":', strategies).error, /^not valid JSON/);
  assert.match(parseFaults('{"strategy":"http-error"}', strategies).error, /must be a JSON array/);
  assert.equal(parseFaults('[{"strategy":"nope"}]', strategies).error, '[0].strategy: unknown "nope"; known: http-error, latency');
  assert.equal(parseFaults('[{"strategy":"http-error","rate":1.5}]', strategies).error, '[0].rate: must be a number from 0 to 1');
  assert.equal(parseFaults('[{"strategy":"http-error"},{"strategy":"latency","params":{}}]', strategies).error, '[1].params.ms: required');
  assert.equal(parseFaults('[{"strategy":"http-error","params":{"status":"429"}}]', strategies).error, '[0].params.status: must be number');
  assert.equal(parseFaults('[{"strategy":"http-error","params":{"colour":1}}]', strategies).error, "[0].params.colour: unknown parameter of 'http-error'");
  assert.equal(parseFaults('[{"strategy":"http-error","params":{"status":300}}]', strategies).error, '[0].params.status: must be at least 400');
});

test('strategies whose parameters are not described are checked for shape only', () => {
  const undescribed = strategiesFrom(null, { plugins: [{ extensions: ['fault:teapot'] }] });
  assert.deepEqual(parseFaults('[{"strategy":"teapot","rate":0.1,"params":{"anything":true}}]', undescribed).value[0].params, { anything: true });
});
