import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';
import type { Proxy } from '../../lib/types.ts';

const demo = fixture<Proxy>('proxy');
const id = demo.id;
const cassette = (import.meta.glob('../fixtures/cassette.ndjson', { eager: true, query: '?raw', import: 'default' })['../fixtures/cassette.ndjson']) as string;

describe('Cache', () => {
  test('entries with model, path, size, hits and age; counters; settings with human labels', async () => {
    recordedApi(signedInRoutes());
    renderAt(`/proxies/${id}/cache`);
    const rows = await screen.findAllByTestId('cache-row');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('gpt-4o-mini');
    expect(rows[0]).toHaveTextContent('/v1/chat/completions');
    expect(screen.getByTestId('cache-hit-rate')).toHaveTextContent('50%');
    expect(screen.getByTestId('cache-entries')).toHaveTextContent('3');
    expect(screen.getByLabelText('Keep entries for (s)')).toBeInTheDocument();
    expect(screen.getByLabelText('Cache answers with temperature > 0')).toBeChecked();
    expect(screen.getByTestId('cache-export')).toHaveAttribute('href', `/api/proxies/${id}/cache/export`);
  });

  test('clear all asks first, then deletes and confirms; one entry can go alone', async () => {
    const api = recordedApi(signedInRoutes({ [`DELETE /api/proxies/${id}/cache`]: { body: { deleted: 3 } } }));
    const items = fixture<{ items: Array<{ key: string }> }>('cache').items;
    (signedInRoutes as unknown);
    const app = renderAt(`/proxies/${id}/cache`);
    await screen.findAllByTestId('cache-row');
    await app.user.click(screen.getByTestId('cache-clear'));
    expect(api.sent('DELETE', `/api/proxies/${id}/cache`)).toHaveLength(0);
    await app.user.click(screen.getByTestId('cache-clear'));
    expect(await screen.findByText('Cache cleared: 3 entries deleted')).toBeInTheDocument();
    await app.user.click(within(screen.getAllByTestId('cache-row')[0]).getByRole('button', { name: /^Remove cached/ }));
    await waitFor(() => expect(api.calls.some((c) => c.method === 'DELETE' && c.path === `/api/proxies/${id}/cache/${items[0].key}`)).toBe(true));
  });

  test('import a cassette from a file: sent as NDJSON, confirmed; a refusal shows the API\'s message', async () => {
    let refuse = false;
    const api = recordedApi(signedInRoutes({
      [`POST /api/proxies/${id}/cache/import`]: () => (refuse ? { status: 400, body: fixture('error-import-400') } : { body: { imported: 3, evicted: 0 } }),
    }));
    const app = renderAt(`/proxies/${id}/cache`);
    await screen.findAllByTestId('cache-row');
    await app.user.type(screen.getByLabelText(/Import for API key/), 'sk-ci');
    await app.user.upload(screen.getByTestId('cassette-file'), new File([cassette], 'session.ndjson', { type: 'application/x-ndjson' }));
    expect(await screen.findByText('Cassette imported: 3 entries')).toBeInTheDocument();
    const sent = api.sent('POST', `/api/proxies/${id}/cache/import`)[0];
    expect(sent.headers['content-type']).toBe('application/x-ndjson');
    expect(sent.headers['x-faultline-api-key']).toBe('sk-ci');
    expect(sent.body).toBe(cassette);
    refuse = true;
    await app.user.upload(screen.getByTestId('cassette-file'), new File(['{"faultline_cassette":2}'], 'bad.ndjson'));
    expect(await screen.findByTestId('import-error')).toHaveTextContent('400 cassette: line 1: cassette version 2; this Faultline reads version 1');
  });
});

describe('Settings', () => {
  test('provider options as a form from the description the provider publishes; saved with a confirmation', async () => {
    const api = recordedApi(signedInRoutes({
      'GET /api/plugins': { body: fixture('plugins-with-options') },
      [`PATCH /api/proxies/${id}`]: (c) => ({ body: { ...demo, ...JSON.parse(c.body!) } }),
    }));
    const app = renderAt(`/proxies/${id}/settings`);
    const options = await screen.findByRole('group', { name: 'Provider options (mock)' });
    const latency = await within(options).findByLabelText('Latency (ms)');
    expect(within(options).getByText(/milliseconds the mock waits before it answers/)).toBeInTheDocument();
    expect(within(options).getByLabelText(/Fail auth/)).not.toBeChecked();
    await app.user.type(latency, '70000');
    expect(within(options).getByText('latency_ms: must be at most 60000')).toBeInTheDocument();
    expect(screen.getByTestId('settings-save')).toBeDisabled();
    await app.user.clear(latency);
    await app.user.type(latency, '200');
    await app.user.click(within(options).getByLabelText(/Fail auth/));
    await app.user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(api.sent('PATCH', `/api/proxies/${id}`)).toHaveLength(1));
    expect(JSON.parse(api.sent('PATCH', `/api/proxies/${id}`)[0].body!)).toEqual({ options: { latency_ms: 200, fail_auth: true } });
    expect(await screen.findByText('Settings saved')).toBeInTheDocument();
  });

  test('a provider that publishes no description gets a JSON editor; a refusal is shown with its field', async () => {
    recordedApi(signedInRoutes({
      [`PATCH /api/proxies/${id}`]: { status: 400, body: { error: { status: 400, message: 'options.flavour: unknown option of mock', field: 'options.flavour' } } },
    }));
    const app = renderAt(`/proxies/${id}/settings`);
    const json = await screen.findByTestId('options-json');
    await app.user.clear(json);
    await app.user.click(json);
    await app.user.paste('{"flavour": 1}');
    await app.user.click(screen.getByTestId('settings-save'));
    expect(await screen.findByTestId('settings-error')).toHaveTextContent('400 options.flavour: unknown option of mock(field: options.flavour)');
  });

  test('logging is a labelled block saved with a toast', async () => {
    const api = recordedApi(signedInRoutes({ [`PATCH /api/proxies/${id}`]: (c) => ({ body: { ...demo, ...JSON.parse(c.body!) } }) }));
    const app = renderAt(`/proxies/${id}/settings`);
    const block = await screen.findByTestId('block-logging');
    await app.user.click(within(block).getByLabelText('Keep request and response bodies'));
    await app.user.click(within(block).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Logging saved')).toBeInTheDocument();
    expect(JSON.parse(api.sent('PATCH', `/api/proxies/${id}`)[0].body!).logging.bodies).toBe(!demo.logging!.bodies);
  });
});
