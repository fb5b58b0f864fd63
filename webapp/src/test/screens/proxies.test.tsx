import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';
import type { Proxy } from '../../lib/types.ts';

const [demo, staging] = fixture<Proxy[]>('proxies');

describe('Proxies', () => {
  test('the table shows status, provider, port, upstream and a traffic sparkline per proxy', async () => {
    recordedApi(signedInRoutes());
    renderAt('/proxies');
    const row = await screen.findByTestId('proxy-row-demo');
    expect(within(row).getByTestId('proxy-status')).toHaveTextContent('running');
    expect(row).toHaveTextContent('mock');
    expect(row).toHaveTextContent(String(demo.port));
    expect(row).toHaveTextContent('provider default');
    await waitFor(() => expect(within(row).getByRole('img')).toHaveAccessibleName('demo traffic: trend'));
    expect(within(screen.getByTestId('proxy-row-staging')).getByTestId('proxy-status')).toHaveTextContent('stopped');
  });

  test('create: the provider is picked from the loaded plugins, the port optional; success is a toast', async () => {
    const api = recordedApi(signedInRoutes({ 'POST /api/proxies': (c) => ({ status: 201, body: { ...demo, ...JSON.parse(c.body!), id: 'prx_new', port: 9002 } }) }));
    const app = renderAt('/proxies');
    const form = await screen.findByTestId('create-proxy-form');
    await waitFor(() => expect(within(form).getByLabelText('Provider')).toHaveTextContent('openai'));
    await app.user.type(within(form).getByLabelText('Name'), 'made-in-ui');
    await app.user.selectOptions(within(form).getByLabelText('Provider'), 'openai');
    await app.user.click(within(form).getByRole('button', { name: 'Create proxy' }));
    await waitFor(() => expect(api.sent('POST', '/api/proxies')).toHaveLength(1));
    expect(JSON.parse(api.sent('POST', '/api/proxies')[0].body!)).toEqual({ name: 'made-in-ui', provider: 'openai' });
    expect(await screen.findByText('Proxy made-in-ui created on port 9002')).toBeInTheDocument();
  });

  test('a refusal is shown in place, as the API said it, with the field marked', async () => {
    recordedApi(signedInRoutes({ 'POST /api/proxies': { status: 409, body: fixture('error-create-409') } }));
    const app = renderAt('/proxies');
    const form = await screen.findByTestId('create-proxy-form');
    await app.user.type(within(form).getByLabelText('Name'), 'demo');
    await app.user.click(within(form).getByRole('button', { name: 'Create proxy' }));
    const error = await within(form).findByTestId('create-error');
    expect(error).toHaveTextContent("409 name: a proxy named 'demo' already exists (prx_3ea4fbc83c56)(field: name)");
  });

  test('stop and start toast and refresh the list; delete asks first; a refusal stays on its row', async () => {
    let status = 'running';
    const api = recordedApi(signedInRoutes({
      'GET /api/proxies': () => ({ body: [{ ...demo, status }, staging] }),
      [`POST /api/proxies/${demo.id}/stop`]: () => { status = 'stopped'; return { body: { ...demo, status } }; },
      [`POST /api/proxies/${staging.id}/start`]: { status: 409, body: { error: { status: 409, message: 'port: 9001 is in use by another program', field: 'port' } } },
      [`DELETE /api/proxies/${staging.id}`]: { status: 204 },
    }));
    const app = renderAt('/proxies');
    const row = await screen.findByTestId('proxy-row-demo');
    await app.user.click(within(row).getByRole('button', { name: 'Stop demo' }));
    expect(await screen.findByText('demo stopped')).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByTestId('proxy-row-demo')).getByTestId('proxy-status')).toHaveTextContent('stopped'));

    const other = screen.getByTestId('proxy-row-staging');
    await app.user.click(within(other).getByRole('button', { name: 'Start staging' }));
    expect(await screen.findByTestId('proxy-error')).toHaveTextContent('409 port: 9001 is in use by another program');

    const del = within(screen.getByTestId('proxy-row-staging')).getByTestId('delete');
    await app.user.click(del);
    expect(del).toHaveTextContent('Really delete?');
    expect(api.sent('DELETE', `/api/proxies/${staging.id}`)).toHaveLength(0);
    await app.user.click(del);
    await waitFor(() => expect(api.sent('DELETE', `/api/proxies/${staging.id}`)).toHaveLength(1));
    expect(await screen.findByText('staging deleted')).toBeInTheDocument();
  });

  test('a row opens the proxy at its own URL, with a tab per section', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt('/proxies');
    await app.user.click(await screen.findByRole('link', { name: 'demo' }));
    expect(app.location()).toBe(`/proxies/${demo.id}`);
    expect(await screen.findByTestId('proxy-detail')).toBeInTheDocument();
    const tabs = screen.getByRole('navigation', { name: 'Proxy sections' });
    expect(within(tabs).getAllByRole('link').map((l) => l.textContent)).toEqual(['Charts', 'Traffic', 'Faults', 'Cache', 'IP rules', 'Settings', 'Playground']);
    for (const id of ['chart-traffic', 'chart-errors', 'chart-latency', 'chart-tokens']) expect(await screen.findByTestId(id)).toBeInTheDocument();
    expect(screen.getByTestId('chart-latency')).toHaveTextContent('p50');
    expect(screen.getByTestId('live-traffic')).toBeInTheDocument();
    await app.user.click(within(tabs).getByRole('link', { name: 'IP rules' }));
    expect(app.location()).toBe(`/proxies/${demo.id}/ip`);
    expect(await screen.findByTestId('ip-panel')).toBeInTheDocument();
  });

  test('IP rules save as lists and confirm', async () => {
    const api = recordedApi(signedInRoutes({ [`PATCH /api/proxies/${demo.id}`]: (c) => ({ body: { ...demo, ...JSON.parse(c.body!) } }) }));
    const app = renderAt(`/proxies/${demo.id}/ip`);
    await app.user.type(await screen.findByTestId('ip-block'), '10.0.0.0/8{enter}192.168.*.*');
    await app.user.click(screen.getByTestId('ip-save'));
    await waitFor(() => expect(api.sent('PATCH', `/api/proxies/${demo.id}`)).toHaveLength(1));
    expect(JSON.parse(api.sent('PATCH', `/api/proxies/${demo.id}`)[0].body!)).toEqual({ ip: { allow: [], block: ['10.0.0.0/8', '192.168.*.*'] } });
    expect(await screen.findByText('IP rules saved')).toBeInTheDocument();
  });
});
