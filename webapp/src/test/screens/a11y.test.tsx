import { describe, expect, test } from 'vitest';
import { screen } from '@testing-library/react';
import axe from 'axe-core';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';

const id = 'prx_3ea4fbc83c56';
const signedOut = { 'GET /api/auth/me': { status: 401, body: fixture('error-signed-out-401') } };

// Each screen, once its content is in, has no serious or critical axe violation: every control
// labelled, every image named, landmarks and ARIA used correctly. (Colour contrast needs a real
// browser: the end-to-end tests check it.)
const SCREENS: Array<[string, string, string, Record<string, unknown>?]> = [
  ['/', 'overview', 'chart-traffic'],
  ['/proxies', 'proxies', 'create-proxy-form'],
  [`/proxies/${id}`, 'proxy charts', 'chart-latency'],
  [`/proxies/${id}/faults`, 'faults', 'fault-entry'],
  [`/proxies/${id}/cache`, 'cache', 'cache-row'],
  [`/proxies/${id}/ip`, 'IP rules', 'ip-panel'],
  [`/proxies/${id}/settings`, 'settings', 'provider-options'],
  [`/proxies/${id}/playground`, 'playground', 'playground'],
  ['/logs', 'traffic console', 'traffic-row'],
  ['/plugins', 'plugins', 'plugin-table'],
  ['/tokens', 'tokens', 'token-table'],
  ['/users', 'users', 'user-table'],
  ['/audit', 'audit', 'audit-table'],
  ['/account', 'account', 'password-form'],
  ['/login', 'sign in', 'signin-form', signedOut],
  ['/register', 'register', 'register-form', signedOut],
  ['/reset', 'reset', 'reset-form', signedOut],
  ['/setup?token=t', 'setup', 'setup-form', { ...signedOut, 'GET /api/auth/config': { body: { setup_needed: true } } }],
];

describe('accessibility', () => {
  test.each(SCREENS)('%s (%s) has no serious violation', async (path, _name, ready, overrides) => {
    recordedApi(signedInRoutes(overrides as never));
    renderAt(path);
    await screen.findAllByTestId(ready);
    const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`)).toEqual([]);
  });
});
