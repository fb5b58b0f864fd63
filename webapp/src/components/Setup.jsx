import { useState } from 'react';
import { ApiError, authApi } from '../lib/api.js';
import { useAction, usePoll } from '../hooks.js';
import { AuthLayout } from './AuthLayout.jsx';
import { Link, useNavigate } from './nav.jsx';
import { NO_COOKIE } from './SignIn.jsx';
import { Button, ErrorNote, Field, INPUT } from './ui.jsx';

/**
 * First run: the one-time link Faultline printed at start (/setup?token=…) creates the first
 * admin, verified at once and signed in.
 */
export function Setup({ route, session }) {
  const config = usePoll(authApi.config, 0, []);
  const navigate = useNavigate();
  const [form, setForm] = useState({ email: '', password: '' });
  const { busy, error, setError, run } = useAction();
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });

  const submit = async (e) => {
    e.preventDefault();
    const answer = await run(() => authApi.setup(route.token, form.email.trim(), form.password));
    if (!answer) return;
    if (await session.reload()) navigate('/', { replace: true });
    else setError(new ApiError(0, NO_COOKIE));
  };

  const done = config.data && config.data.setup_needed === false;
  return (
    <AuthLayout title="Create the first admin" testId="setup">
      <div className="space-y-4">
        {!route.token ? (
          <p className="text-sm text-slate-600">Open the setup link Faultline printed when it started: it carries the one-time token.</p>
        ) : done ? (
          <p className="text-sm text-slate-600" data-testid="setup-done">This Faultline has its first admin already: sign in instead.</p>
        ) : (
          <form onSubmit={submit} className="space-y-3" data-testid="setup-form">
            <p className="text-xs text-slate-600">This account manages Faultline: its users, and every proxy.</p>
            <Field label="Email" invalid={error && error.field === 'email'}>
              <input className={INPUT} type="email" name="email" autoComplete="email" value={form.email} onChange={set('email')} required autoFocus />
            </Field>
            <Field label="Password" invalid={error && error.field === 'password'}>
              <input className={INPUT} type="password" name="password" autoComplete="new-password" value={form.password} onChange={set('password')} required />
            </Field>
            <ErrorNote error={error} testId="setup-error" />
            <Button variant="primary" type="submit" disabled={busy} className="w-full justify-center py-1.5">
              {busy ? 'Creating…' : 'Create admin and sign in'}
            </Button>
          </form>
        )}
        <p className="border-t border-slate-100 pt-3 text-xs">
          <Link to="/login" className="text-indigo-700 hover:underline">Sign in</Link>
        </p>
      </div>
    </AuthLayout>
  );
}
