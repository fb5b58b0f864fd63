import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { authApi } from '../../lib/api.ts';
import { useAction } from '../../hooks.ts';
import { AuthLayout, Notice } from './AuthLayout.tsx';
import { Link } from 'react-router';
import { Button, ErrorNote, Field, INPUT } from '../../components/ui.tsx';

/** POST /api/auth/register: no session yet; the account is used once its email is verified. */
export function Register() {
  const config = useQuery({ queryKey: ['auth-config'], queryFn: authApi.config });
  const [form, setForm] = useState({ email: '', password: '' });
  const [sentTo, setSentTo] = useState<string | null>(null);
  // The account was made but its verification mail could not be sent (the mail server failed).
  const [mailFailed, setMailFailed] = useState(false);
  const { busy, error, run } = useAction();
  const set = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [name]: e.target.value });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const email = form.email.trim();
    const answer = await run(() => authApi.register(email, form.password));
    if (answer) {
      setSentTo(email);
      setMailFailed(answer.verification === 'failed');
    }
  };

  const closed = config.data && config.data.registration === false;
  return (
    <AuthLayout title="Create an account" testId="register">
      <div className="space-y-4">
        {sentTo && mailFailed ? (
          <p role="alert" data-testid="register-mail-failed" className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800 ring-1 ring-amber-200">
            Account created for <strong>{sentTo}</strong>, but the verification mail could not be sent. Sign in
            and send the link again from the banner.
          </p>
        ) : sentTo ? (
          <Notice testId="register-sent">
            Account created. A link to verify <strong>{sentTo}</strong> is on its way; open it, then sign in.
            (A Faultline without a mail server writes the link to its log.)
          </Notice>
        ) : closed ? (
          <p className="text-sm text-slate-600" data-testid="registration-closed">This Faultline does not take new accounts: ask an admin.</p>
        ) : (
          <form onSubmit={submit} className="space-y-3" data-testid="register-form">
            <Field label="Email" invalid={error && error.field === 'email'}>
              <input className={INPUT} type="email" name="email" autoComplete="email" value={form.email} onChange={set('email')} required autoFocus />
            </Field>
            <Field label="Password" invalid={error && error.field === 'password'}>
              <input className={INPUT} type="password" name="password" autoComplete="new-password" value={form.password} onChange={set('password')} required />
            </Field>
            <ErrorNote error={error} testId="register-error" />
            <Button variant="primary" type="submit" disabled={busy} className="w-full justify-center py-1.5">
              {busy ? 'Creating…' : 'Create account'}
            </Button>
          </form>
        )}
        <p className="border-t border-slate-100 pt-3 text-xs">
          <Link to="/login" className="text-indigo-700 hover:underline">Back to sign in</Link>
        </p>
      </div>
    </AuthLayout>
  );
}
