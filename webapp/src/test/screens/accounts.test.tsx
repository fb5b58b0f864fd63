import { describe, expect, test } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { fixture, recordedApi, signedInRoutes } from '../server.ts';
import { renderAt } from '../render.tsx';

const signedOut = { status: 401, body: fixture('error-signed-out-401') };

describe('Sign in', () => {
  test('a wrong password shows the API\'s message; the right one goes back to the page opened', async () => {
    let session = false;
    const api = recordedApi(signedInRoutes({
      'GET /api/auth/me': () => (session ? { body: fixture('me') } : signedOut),
      'POST /api/auth/login': (c) => {
        if (JSON.parse(c.body!).password !== 'long-password-123') return { status: 401, body: fixture('error-login-401') };
        session = true;
        return { body: { token: 'not-kept', user: fixture('me') } };
      },
    }));
    const app = renderAt('/login?next=%2Flogs');
    const form = await screen.findByTestId('signin-form');
    await app.user.type(within(form).getByLabelText('Email'), 'a@b.test');
    await app.user.type(within(form).getByLabelText('Password'), 'wrong-password-1');
    await app.user.click(within(form).getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByTestId('signin-error')).toHaveTextContent('401 email or password is wrong');
    expect(app.location()).toBe('/login?next=%2Flogs');
    await app.user.clear(within(form).getByLabelText('Password'));
    await app.user.type(within(form).getByLabelText('Password'), 'long-password-123');
    await app.user.click(within(form).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(app.location()).toBe('/logs'));
    expect(api.sent('POST', '/api/auth/login')).toHaveLength(2);
    expect(localStorage.length === 0 || !Object.values(localStorage).some((v) => String(v).includes('not-kept'))).toBe(true);
  });

  test('social providers, registration and the reset link as configured', async () => {
    recordedApi(signedInRoutes({ 'GET /api/auth/me': signedOut, 'GET /api/auth/config': { body: { setup_needed: true, registration: false, oauth_providers: [{ id: 'github', name: 'GitHub' }] } } }));
    renderAt('/login');
    expect(await screen.findByTestId('oauth-github')).toHaveAttribute('href', '/api/auth/oauth/github/start');
    expect(screen.getByTestId('setup-needed')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Create an account' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Forgot password?' })).toHaveAttribute('href', '/reset');
  });
});

describe('First run, register, verify, reset', () => {
  test('setup creates the first admin with the link\'s token and signs in', async () => {
    let session = false;
    const api = recordedApi(signedInRoutes({
      'GET /api/auth/me': () => (session ? { body: fixture('me') } : signedOut),
      'GET /api/auth/config': { body: { setup_needed: true, registration: true, oauth_providers: [] } },
      'POST /api/auth/setup': () => { session = true; return { status: 201, body: { user: fixture('me') } }; },
    }));
    const app = renderAt('/setup?token=one-time');
    const form = await screen.findByTestId('setup-form');
    await app.user.type(within(form).getByLabelText('Email'), 'a@b.test');
    await app.user.type(within(form).getByLabelText('Password'), 'long-password-123');
    await app.user.click(within(form).getByRole('button', { name: 'Create admin and sign in' }));
    await waitFor(() => expect(app.location()).toBe('/'));
    expect(JSON.parse(api.sent('POST', '/api/auth/setup')[0].body!)).toEqual({ token: 'one-time', email: 'a@b.test', password: 'long-password-123' });
  });

  test('register says a mail is on its way; the API\'s refusal names the field', async () => {
    let first = true;
    recordedApi(signedInRoutes({
      'GET /api/auth/me': signedOut,
      'POST /api/auth/register': () => {
        if (first) { first = false; return { status: 400, body: { error: { status: 400, message: 'password: needs at least 10 characters', field: 'password' } } }; }
        return { status: 201, body: {} };
      },
    }));
    const app = renderAt('/register');
    const form = await screen.findByTestId('register-form');
    await app.user.type(within(form).getByLabelText('Email'), 'new@b.test');
    await app.user.type(within(form).getByLabelText('Password'), 'short');
    await app.user.click(within(form).getByRole('button', { name: 'Create account' }));
    expect(await screen.findByTestId('register-error')).toHaveTextContent('password: needs at least 10 characters');
    await app.user.type(within(form).getByLabelText('Password'), '-but-longer');
    await app.user.click(within(form).getByRole('button', { name: 'Create account' }));
    expect(await screen.findByTestId('register-sent')).toHaveTextContent('new@b.test');
  });

  test('the verify link is posted once and says so', async () => {
    const api = recordedApi(signedInRoutes({ 'GET /api/auth/me': signedOut, 'POST /api/auth/verify': { body: {} } }));
    renderAt('/verify?token=tok-1');
    expect(await screen.findByTestId('verified')).toHaveTextContent('Your email is verified.');
    expect(api.sent('POST', '/api/auth/verify')).toHaveLength(1);
  });

  test('reset asks for the mail, and its link sets a new password', async () => {
    const api = recordedApi(signedInRoutes({ 'GET /api/auth/me': signedOut, 'POST /api/auth/reset': { status: 202, body: {} }, 'POST /api/auth/reset/confirm': { body: {} } }));
    const app = renderAt('/reset');
    await app.user.type(await screen.findByLabelText('Email'), 'a@b.test');
    await app.user.click(screen.getByRole('button', { name: 'Send the link' }));
    expect(await screen.findByTestId('reset-sent')).toBeInTheDocument();
    app.unmount();
    const again = renderAt('/reset?token=r1');
    await again.user.type(await screen.findByLabelText('New password'), 'new-password-123');
    await again.user.type(screen.getByLabelText('New password again'), 'new-password-124');
    expect(screen.getByText('The two passwords differ.')).toBeInTheDocument();
    await again.user.clear(screen.getByLabelText('New password again'));
    await again.user.type(screen.getByLabelText('New password again'), 'new-password-123');
    await again.user.click(screen.getByRole('button', { name: 'Set the new password' }));
    expect(await screen.findByTestId('reset-done')).toBeInTheDocument();
    expect(JSON.parse(api.sent('POST', '/api/auth/reset/confirm')[0].body!)).toEqual({ token: 'r1', password: 'new-password-123' });
  });
});

describe('Account, tokens, users, audit', () => {
  test('account shows who is signed in and changes the password', async () => {
    const api = recordedApi(signedInRoutes({ 'POST /api/auth/password': { body: { token: 'renewed' } } }));
    const app = renderAt('/account');
    expect(await screen.findByTestId('account-email')).toHaveTextContent('a@b.test');
    await app.user.type(screen.getByLabelText('Current password'), 'long-password-123');
    await app.user.type(screen.getByLabelText('New password'), 'even-longer-password');
    await app.user.type(screen.getByLabelText('New password again'), 'even-longer-password');
    await app.user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByTestId('password-changed')).toBeInTheDocument();
    expect(JSON.parse(api.sent('POST', '/api/auth/password')[0].body!)).toEqual({ current_password: 'long-password-123', new_password: 'even-longer-password' });
  });

  test('a token is shown once at creation, then listed without its value; revoke asks first', async () => {
    const api = recordedApi(signedInRoutes({ 'POST /api/tokens': { status: 201, body: fixture('token-created') }, 'DELETE /api/tokens/tok_0777f532d0477d5e': { status: 204 } }));
    const app = renderAt('/tokens');
    await app.user.type(await screen.findByLabelText('Name'), 'ci');
    await app.user.selectOptions(screen.getByLabelText('Expires'), '30 days');
    await app.user.click(screen.getByLabelText('Read-only'));
    await app.user.click(screen.getByTestId('token-create'));
    expect(await screen.findByTestId('new-token-value')).toHaveValue('flt_recorded-fixture-not-a-live-token-000000');
    expect(JSON.parse(api.sent('POST', '/api/tokens')[0].body!)).toEqual({ name: 'ci', read_only: true, expires_in_days: 30 });
    await app.user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('new-token-value')).toBeNull();
    const row = screen.getAllByRole('row').find((r) => r.textContent!.includes('configured'))!;
    await app.user.click(within(row).getByTestId('token-revoke'));
    await app.user.click(within(row).getByTestId('token-revoke'));
    await waitFor(() => expect(api.sent('DELETE', '/api/tokens/tok_0777f532d0477d5e')).toHaveLength(1));
    expect(await screen.findByText(/^Token “configured.*” revoked$/)).toBeInTheDocument();
  });

  test('users: an admin changes others, never their own account', async () => {
    const other = { id: 'usr_2', email: 'b@b.test', role: 'user', verified: true, disabled: false, created_at: '2026-11-27T10:00:00Z' };
    const api = recordedApi(signedInRoutes({ 'GET /api/users': { body: [...fixture<object[]>('users'), other] }, 'PATCH /api/users/usr_2': { body: { ...other, role: 'admin' } } }));
    const app = renderAt('/users');
    const self = await screen.findByTestId('user-row-a@b.test');
    expect(within(self).getByTestId('user-make-user')).toBeDisabled();
    await app.user.click(within(screen.getByTestId('user-row-b@b.test')).getByTestId('user-make-admin'));
    await waitFor(() => expect(api.sent('PATCH', '/api/users/usr_2')).toHaveLength(1));
    expect(JSON.parse(api.sent('PATCH', '/api/users/usr_2')[0].body!)).toEqual({ role: 'admin' });
    expect(await screen.findByText('b@b.test: now admin')).toBeInTheDocument();
  });

  test('audit lists who did what, newest first', async () => {
    recordedApi(signedInRoutes());
    renderAt('/audit');
    const rows = await screen.findAllByTestId('audit-row');
    expect(rows.length).toBe(fixture<{ entries: unknown[] }>('audit').entries.length);
    expect(rows[0]).toHaveTextContent('a@b.test');
    expect(screen.getByTestId('audit-older')).toBeDisabled();
  });

  test('an unverified account sees the banner and can ask for the link again', async () => {
    const api = recordedApi(signedInRoutes({ 'GET /api/auth/me': { body: { ...fixture<object>('me'), verified: false } }, 'POST /api/auth/verify/resend': { status: 202, body: {} } }));
    const app = renderAt('/');
    await app.user.click(await screen.findByTestId('verify-resend'));
    await waitFor(() => expect(api.sent('POST', '/api/auth/verify/resend')).toHaveLength(1));
    expect(screen.getByTestId('verify-banner')).toHaveTextContent('A new link is on its way.');
  });
});
