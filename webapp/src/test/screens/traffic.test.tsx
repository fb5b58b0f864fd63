import { describe, expect, test } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';
import { FakeEventSource } from '../eventsource.ts';
import type { LogEntry } from '../../lib/types.ts';

const logs = fixture<{ entries: LogEntry[] }>('logs').entries;
// The one event of the recorded live stream (fixtures/stream.txt), as the server sent it.
const streamed: LogEntry = { ...logs[0], request_id: 'req_streamed_1', ts: new Date(Date.parse(logs[0].ts) + 60_000).toISOString(), model: 'gpt-4o-mini', status: 200, fault: null, error_type: null };

describe('Traffic console', () => {
  test('history, then live entries; paused is a real pause that says so', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt('/logs');
    await waitFor(() => expect(screen.getAllByTestId('traffic-row')).toHaveLength(logs.length));
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/logs/stream');
    act(() => source.open());
    expect(screen.getByTestId('stream-state')).toHaveTextContent('live');
    act(() => source.send(JSON.stringify(streamed)));
    expect(screen.getAllByTestId('traffic-row')[0]).toHaveTextContent('req_streamed_1'.slice(0, 0) + 'gpt-4o-mini');
    expect(screen.getAllByTestId('traffic-row')).toHaveLength(logs.length + 1);

    await app.user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(screen.getByTestId('stream-state')).toHaveTextContent('paused');
    act(() => source.send(JSON.stringify({ ...streamed, request_id: 'req_while_paused', ts: new Date(Date.parse(streamed.ts) + 1000).toISOString() })));
    expect(screen.getAllByTestId('traffic-row')).toHaveLength(logs.length + 1);
    expect(screen.getByTestId('held')).toHaveTextContent('(1 new)');
    await app.user.click(screen.getByRole('button', { name: 'Resume' }));
    expect(screen.getByTestId('stream-state')).toHaveTextContent('live');
  });

  test('filters go to the API, and live entries outside them stay out', async () => {
    const api = recordedApi(signedInRoutes({
      'GET /api/logs': (c) => ({ body: { entries: logs.filter((e) => !c.url.searchParams.get('status') || e.status === 429), next_cursor: null } }),
    }));
    const app = renderAt('/logs');
    await waitFor(() => expect(screen.getAllByTestId('traffic-row')).toHaveLength(logs.length));
    const filters = screen.getByRole('form', { name: 'Filters' });
    await app.user.type(within(filters).getByLabelText('Status'), '429');
    await app.user.selectOptions(within(filters).getByLabelText('Fault'), 'http-error');
    await app.user.selectOptions(within(filters).getByLabelText('Status class'), '4xx');
    await waitFor(() => {
      const last = api.sent('GET', '/api/logs').at(-1)!;
      expect(last.url.searchParams.get('status')).toBe('429,4xx');
      expect(last.url.searchParams.get('fault')).toBe('http-error');
    });
    await waitFor(() => expect(screen.getAllByTestId('traffic-row').every((r) => r.textContent!.includes('429'))).toBe(true));
    act(() => FakeEventSource.latest().send(JSON.stringify(streamed)));
    expect(screen.queryByText('req_streamed_1')).toBeNull();
    expect(screen.getAllByTestId('traffic-row').every((r) => r.textContent!.includes('429'))).toBe(true);
    for (const format of ['csv', 'json', 'ndjson']) {
      expect(screen.getByTestId(`export-${format}`)).toHaveAttribute('href', `/api/logs?status=429%2C4xx&fault=http-error&export=${format}`);
    }
    await app.user.type(within(filters).getByLabelText('Search'), 'no-such-request');
    expect(screen.queryAllByTestId('traffic-row')).toHaveLength(0);
    expect(screen.getByText('No request matches yet.')).toBeInTheDocument();
  });

  test('a row opens its details: id, timings, error, fault, bodies', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt('/logs');
    const first = (await screen.findAllByTestId('traffic-row'))[0];
    await app.user.click(first);
    const detail = screen.getByRole('complementary', { name: 'Request details' });
    expect(detail).toHaveTextContent(logs[0].request_id!);
    expect(detail).toHaveTextContent('rate_limit_exceeded');
    expect(detail).toHaveTextContent('Fault appliedhttp-error');
    expect(detail).toHaveTextContent('first byte');
    expect(within(detail).getByText('Request body')).toBeInTheDocument();
    expect(detail).toHaveTextContent('"content": "storm 8"');
    await app.user.click(within(detail).getByRole('button', { name: 'Close request details' }));
    expect(screen.queryByRole('complementary', { name: 'Request details' })).toBeNull();
    // Keyboard: a row is focusable and opens with Enter.
    first.focus();
    await app.user.keyboard('{Enter}');
    expect(screen.getByRole('complementary', { name: 'Request details' })).toBeInTheDocument();
  });

  test('a proxy\'s console follows that proxy only', async () => {
    const api = recordedApi(signedInRoutes());
    renderAt('/proxies/prx_3ea4fbc83c56/traffic');
    await screen.findByTestId('live-traffic');
    expect(FakeEventSource.latest().url).toBe('/api/logs/stream?proxy=prx_3ea4fbc83c56');
    await waitFor(() => expect(api.sent('GET', '/api/logs').at(-1)!.url.searchParams.get('proxy')).toBe('prx_3ea4fbc83c56'));
    expect(screen.queryByRole('combobox', { name: 'Proxy' })).toBeNull();
  });

  test('a refused stream whose session ended shows sign in', async () => {
    let signedIn = true;
    recordedApi(signedInRoutes({ 'GET /api/auth/me': () => (signedIn ? { body: fixture('me') } : { status: 401, body: fixture('error-signed-out-401') }) }));
    const app = renderAt('/logs');
    await screen.findByTestId('live-traffic');
    signedIn = false;
    act(() => FakeEventSource.latest().refuse());
    await waitFor(() => expect(app.location()).toBe('/login?next=%2Flogs'));
  });
});
