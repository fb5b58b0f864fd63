import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';
import { SCENARIOS } from '../../lib/faults.ts';

const id = 'prx_3ea4fbc83c56';
const path = `/proxies/${id}/faults`;

describe('Faults', () => {
  test('the saved list as forms generated from the described parameters, with human labels and a sentence', async () => {
    recordedApi(signedInRoutes());
    renderAt(path);
    const entries = await screen.findAllByTestId('fault-entry');
    expect(entries).toHaveLength(2);
    expect(within(entries[0]).getByLabelText('What happens')).toHaveDisplayValue('HTTP error');
    expect(within(entries[0]).getByLabelText('Share of requests (%)')).toHaveValue(50);
    expect(within(entries[0]).getByLabelText('HTTP status')).toHaveValue(429);
    expect(within(entries[0]).getByLabelText('Retry after (s)')).toHaveValue(2);
    expect(within(entries[0]).getByLabelText('Error case')).toHaveDisplayValue('429 rate limit (retry-after 2 s)');
    expect(within(entries[1]).getByLabelText('Distribution')).toHaveDisplayValue('fixed');
    expect(within(entries[1]).getByLabelText('Spread (sigma, lognormal)')).toBeInTheDocument();
    expect(screen.getByTestId('faults-preview')).toHaveTextContent(
      "50% of requests get OpenAI's 429 with retry-after 2 s. Every request waits 50 ms before the upstream call.");
  });

  test('status picker, schedule fields and the preview; Save PUTs the list and confirms', async () => {
    const api = recordedApi(signedInRoutes({ [`PUT /api/proxies/${id}/faults`]: (c) => ({ body: JSON.parse(c.body!) }), [`GET /api/proxies/${id}/faults`]: { body: [] } }));
    const app = renderAt(path);
    await app.user.click(await screen.findByTestId('fault-add'));
    const entry = screen.getByTestId('fault-entry');
    await app.user.selectOptions(within(entry).getByLabelText('Error case'), '429 quota exhausted (insufficient_quota)');
    expect(within(entry).getByLabelText('HTTP status')).toHaveValue(429);
    expect(within(entry).getByLabelText('Code')).toHaveValue('insufficient_quota');
    const share = within(entry).getByLabelText('Share of requests (%)');
    await app.user.clear(share);
    await app.user.type(share, '10');
    await app.user.type(within(entry).getByLabelText('From (s after saving)'), '30');
    await app.user.type(within(entry).getByLabelText('Until (s after saving)'), '90');
    expect(screen.queryByTestId('faults-invalid')?.textContent ?? '').toBe('');
    expect(screen.getByTestId('faults-preview')).toHaveTextContent("10% of requests get OpenAI's 429 (insufficient_quota), from 30 s to 90 s.");
    await app.user.click(screen.getByTestId('faults-save'));
    await waitFor(() => expect(api.sent('PUT', `/api/proxies/${id}/faults`)).toHaveLength(1));
    expect(JSON.parse(api.sent('PUT', `/api/proxies/${id}/faults`)[0].body!)).toEqual([
      { strategy: 'http-error', rate: 0.1, params: { status: 429, code: 'insufficient_quota' }, schedule: { from_sec: 30, until_sec: 90 } },
    ]);
    expect(await screen.findByText('Faults saved: in effect from the next request')).toBeInTheDocument();
  });

  test('a value out of range is caught before saving; the API\'s own refusal is shown as said', async () => {
    recordedApi(signedInRoutes({
      [`PUT /api/proxies/${id}/faults`]: { status: 400, body: { error: { status: 400, message: 'faults[0].params.message: must be at most 1024 characters', field: 'faults[0].params.message' } } },
    }));
    const app = renderAt(path);
    const entries = await screen.findAllByTestId('fault-entry');
    const status = within(entries[0]).getByLabelText('HTTP status');
    await app.user.clear(status);
    await app.user.type(status, '42');
    expect(screen.getByTestId('faults-invalid')).toHaveTextContent('[0].params.status: must be at least 400');
    expect(screen.getByTestId('faults-save')).toBeDisabled();
    await app.user.type(status, '9');
    expect(screen.queryByTestId('faults-invalid')).toBeNull();
    await app.user.click(screen.getByTestId('faults-save'));
    expect(await screen.findByTestId('faults-error')).toHaveTextContent('400 faults[0].params.message: must be at most 1024 characters');
  });

  test.each(SCENARIOS.map((s) => [s.name, s.id]))('scenario “%s” fills an editable list, saved as shown', async (_name, scenarioId) => {
    const api = recordedApi(signedInRoutes({ [`PUT /api/proxies/${id}/faults`]: (c) => ({ body: JSON.parse(c.body!) }) }));
    const app = renderAt(path);
    await app.user.click(await screen.findByTestId(`scenario-${scenarioId}`));
    const scenario = SCENARIOS.find((s) => s.id === scenarioId)!;
    expect(screen.getAllByTestId('fault-entry')).toHaveLength(scenario.faults.length);
    expect(screen.getByTestId('faults-preview')).not.toHaveTextContent('No faults');
    // Still editable: drop the last entry before saving.
    const last = screen.getAllByTestId('fault-entry').at(-1)!;
    await app.user.click(within(last).getByRole('button', { name: /^Remove fault/ }));
    await app.user.click(screen.getByTestId('faults-save'));
    await waitFor(() => expect(api.sent('PUT', `/api/proxies/${id}/faults`)).toHaveLength(1));
    expect(JSON.parse(api.sent('PUT', `/api/proxies/${id}/faults`)[0].body!)).toEqual(scenario.faults.slice(0, -1));
  });

  test('the outage scenario reads as an outage and its recovery', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt(path);
    await app.user.click(await screen.findByTestId('scenario-outage'));
    expect(screen.getByTestId('faults-preview')).toHaveTextContent(
      "Every request gets OpenAI's 503, from 10 s to 70 s. 30% of requests get OpenAI's 500, from 70 s to 100 s.");
  });

  test('the JSON editor stays available and is checked as typed', async () => {
    recordedApi(signedInRoutes({ 'GET /api/faults/strategies': { body: fixture('strategies') } }));
    const app = renderAt(path);
    await app.user.click(await screen.findByTestId('faults-json-toggle'));
    const text = screen.getByTestId('faults-json');
    await app.user.clear(text);
    await app.user.click(text);
    await app.user.paste('[{"strategy":"nope"}]');
    expect(screen.getByTestId('faults-invalid')).toHaveTextContent('[0].strategy: unknown "nope"');
  });
});
