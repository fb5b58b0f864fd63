import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';
import { hms } from '../../lib/format.ts';
import type { Series } from '../../lib/types.ts';

describe('Overview', () => {
  test('proxy counts, cards with sparklines, and the chart with fault windows and changes marked', async () => {
    recordedApi(signedInRoutes());
    renderAt('/');
    const series = fixture<Series>('series-1h');
    await waitFor(() => expect(screen.getByTestId('count-running')).toHaveTextContent('1'));
    expect(screen.getByTestId('count-stopped')).toHaveTextContent('1');
    expect(screen.getByTestId('count-failed')).toHaveTextContent('0');
    const cards = screen.getByTestId('overview-cards');
    await waitFor(() => expect(within(cards).getByTestId('card-tokens')).not.toHaveTextContent('—'));
    for (const id of ['card-rps', 'card-errors', 'card-p95', 'card-cache', 'card-tokens', 'card-cost']) {
      expect(within(screen.getByTestId(id)).getByRole('img')).toHaveAccessibleName(/trend/);
    }
    expect(screen.getByTestId('card-cost')).not.toHaveTextContent(/e-/);
    const chart = screen.getByTestId('chart-traffic');
    expect(chart).toHaveTextContent('Requests/s and responses by status class');
    const windows = within(chart).getAllByTestId('fault-window');
    expect(windows[0]).toHaveTextContent(`faults HTTP error: ${hms(series.fault_windows[0].from)}–${hms(series.fault_windows[0].to!)}`);
    expect(windows[1]).toHaveTextContent(/–now$/);
    expect(within(chart).getAllByTestId('annotation').map((a) => a.textContent)).toContain(`┆${hms(series.annotations[0].t)} faults set: http-error 50% (429)`);
  });

  test('the window picker asks for that window', async () => {
    const api = recordedApi(signedInRoutes());
    const app = renderAt('/');
    await screen.findByTestId('chart-traffic');
    await app.user.click(screen.getByRole('button', { name: '5m' }));
    await waitFor(() => expect(api.calls.some((c) => c.path === '/api/metrics/series' && c.url.searchParams.get('window') === '5m')).toBe(true));
    expect(screen.getByRole('button', { name: '5m' })).toHaveAttribute('aria-pressed', 'true');
    expect(await screen.findByText('Traffic · 5m')).toBeInTheDocument();
  });

  test('a Faultline without the series endpoint says so instead of failing', async () => {
    recordedApi(signedInRoutes({ 'GET /api/metrics/series': { status: 404, body: { error: { status: 404, message: 'no such endpoint: GET /api/metrics/series' } } } }));
    renderAt('/');
    expect(await screen.findByTestId('unavailable')).toHaveTextContent('GET /api/metrics/series');
    // The cards fall back to the recorded 1-hour metrics window.
    await waitFor(() => expect(screen.getByTestId('card-tokens')).not.toHaveTextContent('—'));
    expect(screen.getByTestId('card-cost')).toHaveTextContent('Cost · last hour');
    expect(screen.getByTestId('card-cost')).not.toHaveTextContent(/e-\d/);
  });
});
