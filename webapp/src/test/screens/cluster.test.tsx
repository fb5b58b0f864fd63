import { describe, expect, test } from 'vitest';
import { screen, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';
import { uptime } from '../../pages/Cluster.tsx';

describe('Cluster', () => {
  test('lists every node with its address, version, uptime and health, the one serving the page marked', async () => {
    recordedApi(signedInRoutes({ 'GET /api/cluster': { body: fixture('cluster') } }));
    const app = renderAt('/');
    await app.user.click(within(await screen.findByRole('navigation')).getByRole('link', { name: 'Cluster' }));
    expect(await screen.findByTestId('cluster-summary')).toHaveTextContent('3 nodes in the cluster');
    const first = screen.getByTestId('cluster-node-5f0c7a1e-0b8e-4c43-9d2a-1c0f3e6a7b01');
    expect(first).toHaveTextContent('(this one)');
    expect(first).toHaveTextContent('10.0.0.1:8080');
    expect(first).toHaveTextContent('3 h 5 min');
    expect(first).toHaveTextContent('ok');
    expect(screen.getByTestId('cluster-node-8a31d2c4-77f0-4b6e-a0f1-93d5e2c1b902')).toHaveTextContent('45 sdegraded');
    const lost = screen.getByTestId('cluster-node-c2e9b6f3-1d4a-4f8b-bb5e-6a7c8d9e0f03');
    expect(lost).toHaveTextContent('unreachable');
    expect(lost).not.toHaveTextContent('(this one)');
  });

  test('a single node says cluster mode is off', async () => {
    recordedApi(signedInRoutes({
      'GET /api/cluster': { body: { clustered: false, node_id: 'local', nodes: [
        { id: 'local', address: '127.0.0.1:8080', version: '0.2.0', uptime_seconds: 5, health: 'ok' }] } },
    }));
    renderAt('/cluster');
    expect(await screen.findByTestId('cluster-summary')).toHaveTextContent('A single node: cluster mode is off');
    expect(screen.getByTestId('cluster-node-local')).toHaveTextContent('127.0.0.1:8080');
  });

  test('uptime reads in the largest units that matter', () => {
    expect(uptime(null)).toBe('—');
    expect(uptime(59)).toBe('59 s');
    expect(uptime(600)).toBe('10 min');
    expect(uptime(3 * 3600 + 300)).toBe('3 h 5 min');
    expect(uptime(2 * 86400 + 4 * 3600)).toBe('2 d 4 h');
  });
});
