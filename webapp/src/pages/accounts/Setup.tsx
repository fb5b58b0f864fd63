import type { Session } from '../../hooks.ts';
import { usePublicRoute } from './AuthLayout.tsx';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, authApi } from '../../lib/api.ts';
import { useAction } from '../../hooks.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { Link, useNavigate } from 'react-router';
import { NO_COOKIE } from './SignIn.tsx';
import { Button, ErrorNote, Field, INPUT } from '../../components/ui.tsx';

/**
 * First run: the one-time link Faultline printed at start (/setup?token=…) creates the first
 * admin, verified at once and signed in.
 */
export function Setup({ session }: { session: Session }) {
  const route = usePublicRoute();
  const config = useQuery({ queryKey: ['auth-config'], queryFn: authApi.config });
  const navigate = useNavigate();
  const [form, setForm] = useState({ email: '', password: '' });
  const { busy, error, setError, run } = useAction();
  const set = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [name]: e.target.value });

  const submit = async (e: React.FormEvent) => {
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
