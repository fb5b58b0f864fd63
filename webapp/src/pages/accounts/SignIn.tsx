import type { Session } from '../../hooks.ts';
import { usePublicRoute } from './AuthLayout.tsx';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, authApi } from '../../lib/api.ts';
import { useAction } from '../../hooks.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { Link, useNavigate } from 'react-router';
import { Button, ErrorNote, Field, INPUT } from '../../components/ui.tsx';

const LINK = 'text-indigo-700 hover:underline';
export const NO_COOKIE = 'Signed in, but this browser did not keep the session cookie: allow cookies for this site and try again.';

/**
 * Email and password, or a social provider from GET /api/auth/config. Signed in, the page goes
 * back to where the user was (`route.next`). A failed social sign-in comes back as ?error=.
 */
export function SignIn({ session }: { session: Session }) {
  const route = usePublicRoute();
  const config = useQuery({ queryKey: ['auth-config'], queryFn: authApi.config });
  const navigate = useNavigate();
  const [form, setForm] = useState({ email: '', password: '' });
  const { busy, error, setError, run } = useAction();
  const set = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [name]: e.target.value });

  // Already signed in (a social sign-in that came back here, an old tab): go on.
  useEffect(() => {
    if (session.me) navigate(route.next, { replace: true });
  }, [session.me, route.next, navigate]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const answer = await run(() => authApi.login(form.email.trim(), form.password));
    // The session is the cookie the answer set: who is signed in is read back through it, and
    // the effect above then goes on.
    if (answer && !(await session.reload())) setError(new ApiError(0, NO_COOKIE));
  };

  const c = config.data || {};
  const providers = Array.isArray(c.oauth_providers) ? c.oauth_providers : [];
  const shown = error || (route.error ? { message: route.error } : null);

  return (
    <AuthLayout title="Sign in" testId="signin">
      <div className="space-y-4">
        {c.setup_needed ? (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800 ring-1 ring-amber-200" data-testid="setup-needed">
            No account exists yet. Open the one-time setup link Faultline printed when it started
            (<code>…/setup?token=…</code>) to create the first admin.
          </p>
        ) : null}
        <form onSubmit={submit} className="space-y-3" data-testid="signin-form">
          <Field label="Email" invalid={error && error.field === 'email'}>
            <input className={INPUT} type="email" name="email" autoComplete="username" value={form.email} onChange={set('email')} required autoFocus />
          </Field>
          <Field label="Password" invalid={error && error.field === 'password'}>
            <input className={INPUT} type="password" name="password" autoComplete="current-password" value={form.password} onChange={set('password')} required />
          </Field>
          <ErrorNote error={shown} testId="signin-error" />
          {error && error.status === 429 && error.retryAfter !== null ? (
            <p className="text-xs text-slate-600">Try again in {error.retryAfter} s.</p>
          ) : null}
          <Button variant="primary" type="submit" disabled={busy} className="w-full justify-center py-1.5" data-testid="signin-submit">
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        {providers.length ? (
          <div className="space-y-2 border-t border-slate-100 pt-3">
            {providers.map((p) => (
              // A full page load: the provider's pages come next, then the server sends us back.
              <a key={p.id} href={authApi.oauthStartUrl(p.id)} data-testid={`oauth-${p.id}`}
                className="flex w-full items-center justify-center rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-xs font-medium text-slate-700 hover:bg-slate-50">
                Continue with {p.name}
              </a>
            ))}
          </div>
        ) : null}
        <div className="flex justify-between border-t border-slate-100 pt-3 text-xs">
          {c.registration === false ? <span /> : <Link to="/register" className={LINK}>Create an account</Link>}
          <Link to="/reset" className={LINK}>Forgot password?</Link>
        </div>
      </div>
    </AuthLayout>
  );
}
