import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';

describe('navigation', () => {
  test('without a session any screen leads to sign in, keeping where it was', async () => {
    recordedApi(signedInRoutes({ 'GET /api/auth/me': { status: 401, body: fixture('error-signed-out-401') } }));
    const app = renderAt('/proxies/prx_3ea4fbc83c56/faults');
    expect(await screen.findByTestId('signin-form')).toBeInTheDocument();
    expect(app.location()).toBe('/login?next=%2Fproxies%2Fprx_3ea4fbc83c56%2Ffaults');
  });

  test('every view has its own URL, reached from the labelled main navigation', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt('/');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    const labels = within(nav).getAllByRole('link').map((a) => a.textContent);
    expect(labels).toEqual(expect.arrayContaining(['Overview', 'Proxies', 'Logs', 'Playground', 'Plugins', 'API tokens', 'Audit', 'Users']));
    expect(within(nav).getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
    await app.user.click(within(nav).getByRole('link', { name: 'Logs' }));
    expect(app.location()).toBe('/logs');
    expect(await screen.findByTestId('live-traffic')).toBeInTheDocument();
    await app.user.click(within(nav).getByRole('link', { name: 'Plugins' }));
    expect(app.location()).toBe('/plugins');
    expect(screen.getByTestId('nav-email')).toHaveTextContent('a@b.test');
  });

  test('a user who is not an admin has no Users link, and the page says why', async () => {
    recordedApi(signedInRoutes({ 'GET /api/auth/me': { body: { ...fixture<object>('me'), role: 'user' } } }));
    renderAt('/users');
    expect(await screen.findByTestId('admins-only')).toHaveTextContent('Only admins manage users.');
    expect(screen.queryByTestId('nav-users')).toBeNull();
  });

  test('on a phone the menu button opens and closes the navigation', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt('/');
    const menu = await screen.findByRole('button', { name: 'Menu' });
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByTestId('top-nav')).toHaveClass('hidden');
    await app.user.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByTestId('top-nav')).not.toHaveClass('hidden');
    await app.user.click(within(screen.getByTestId('top-nav')).getByRole('link', { name: 'Proxies' }));
    expect(menu).toHaveAttribute('aria-expanded', 'false');
  });

  test('the theme switch turns the page dark and back, and says which it is', async () => {
    recordedApi(signedInRoutes());
    const app = renderAt('/');
    const theme = await screen.findByTestId('theme');
    expect(theme).toHaveAttribute('aria-pressed', 'false');
    await app.user.click(theme);
    expect(document.documentElement).toHaveClass('dark');
    expect(theme).toHaveTextContent('Dark theme');
    await app.user.click(theme);
    expect(document.documentElement).not.toHaveClass('dark');
  });

  test('signing out ends the session and shows sign in', async () => {
    const api = recordedApi(signedInRoutes({ 'POST /api/auth/logout': { status: 204 } }));
    const app = renderAt('/');
    await app.user.click(await screen.findByTestId('sign-out'));
    await waitFor(() => expect(app.location()).toBe('/login'));
    expect(api.sent('POST', '/api/auth/logout')).toHaveLength(1);
  });
});
