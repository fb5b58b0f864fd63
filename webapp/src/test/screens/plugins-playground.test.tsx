import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';

const id = 'prx_3ea4fbc83c56';

describe('Plugins', () => {
  test('loaded providers and fault strategies with versions, and failed jars with their reasons', async () => {
    recordedApi(signedInRoutes({ 'GET /api/plugins': { body: fixture('plugins-with-options') } }));
    renderAt('/plugins');
    const mock = await screen.findByTestId('plugin-provider-mock');
    expect(mock).toHaveTextContent('0.1.0-SNAPSHOT');
    expect(mock).toHaveTextContent('provider:mock');
    expect(screen.getByTestId('plugin-faults-builtin')).toHaveTextContent('fault: HTTP error');
    expect(screen.getByTestId('plugins-failed')).toHaveTextContent('broken-plugin.jar: plugin requires plugin-api >=2.0.0');
  });
});

describe('Playground', () => {
  test('sends a chat request through the proxy via the admin API and shows status, headers, timing and body', async () => {
    const api = recordedApi(signedInRoutes({ [`POST /api/proxies/${id}/playground`]: { body: fixture('playground-429') } }));
    const app = renderAt(`/proxies/${id}/playground`);
    const form = await screen.findByTestId('playground');
    const model = within(form).getByLabelText('Model');
    await app.user.clear(model);
    await app.user.type(model, 'gpt-4o');
    await app.user.type(within(form).getByLabelText('System message (optional)'), 'Be brief.');
    await app.user.click(within(form).getByLabelText('Stream the answer'));
    await app.user.type(within(form).getByLabelText('API key (optional)'), 'sk-caller');
    await app.user.click(within(form).getByTestId('playground-send'));
    await waitFor(() => expect(api.sent('POST', `/api/proxies/${id}/playground`)).toHaveLength(1));
    expect(JSON.parse(api.sent('POST', `/api/proxies/${id}/playground`)[0].body!)).toEqual({
      model: 'gpt-4o', stream: true,
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello in five words.' }],
      api_key: 'sk-caller',
    });
    expect(await screen.findByTestId('playground-status')).toHaveTextContent('HTTP 429');
    const answer = screen.getByTestId('playground-answer');
    expect(answer).toHaveTextContent('first byte 3.2 ms · total 3.9 ms');
    expect(answer).toHaveTextContent('fault: http-error');
    expect(answer).toHaveTextContent('retry-after2');
    expect(screen.getByTestId('playground-body')).toHaveTextContent('"code": "rate_limit_exceeded"');
  });

  test('the global playground picks a running proxy; without the endpoint it says so', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt('/playground');
    expect(await screen.findByLabelText('Proxy')).toHaveDisplayValue('demo (running)');
    await app.user.click(screen.getByTestId('playground-send'));
    expect(await screen.findByTestId('unavailable')).toHaveTextContent('POST /api/proxies/{id}/playground');
  });
});
