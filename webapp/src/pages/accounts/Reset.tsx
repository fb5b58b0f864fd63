import { usePublicRoute } from './AuthLayout.tsx';
import { useState } from 'react';
import { authApi } from '../../lib/api.ts';
import { useAction } from '../../hooks.ts';
import { AuthLayout, Notice } from './AuthLayout.tsx';
import { Link } from 'react-router';
import { Button, ErrorNote, Field, INPUT } from '../../components/ui.tsx';

/** A forgotten password: /reset asks for the mail, /reset?token=… (its link) sets a new one. */
export function Reset() {
  const route = usePublicRoute();
  return (
    <AuthLayout title="Reset your password" testId="reset">
      <div className="space-y-4">
        {route.token ? <ConfirmReset token={route.token} /> : <RequestReset />}
        <p className="border-t border-slate-100 pt-3 text-xs">
          <Link to="/login" className="text-indigo-700 hover:underline">Back to sign in</Link>
        </p>
      </div>
    </AuthLayout>
  );
}

function RequestReset() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    // 202 whether or not the address has an account: the page cannot tell either.
    if ((await run(() => authApi.requestReset(email.trim()).then(() => true)))) setSent(true);
  };

  if (sent) {
    return (
      <Notice testId="reset-sent">
        If an account uses that address, a link to set a new password is on its way. (A Faultline
        without a mail server writes the link to its log.)
      </Notice>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-3" data-testid="reset-form">
      <Field label="Email" invalid={error && error.field === 'email'}>
        <input className={INPUT} type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
      </Field>
      <ErrorNote error={error} testId="reset-error" />
      <Button variant="primary" type="submit" disabled={busy} className="w-full justify-center py-1.5">
        {busy ? 'Sending…' : 'Send the link'}
      </Button>
    </form>
  );
}

function ConfirmReset({ token }: { token: string }) {
  const [form, setForm] = useState({ password: '', repeat: '' });
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const set = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [name]: e.target.value });
  const mismatch = form.repeat !== '' && form.repeat !== form.password;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    if (await run(() => authApi.confirmReset(token, form.password).then(() => true))) setDone(true);
  };

  if (done) return <Notice testId="reset-done">Your password is changed. Sign in with it.</Notice>;
  return (
    <form onSubmit={submit} className="space-y-3" data-testid="reset-confirm-form">
      <Field label="New password" invalid={error && error.field === 'password'}>
        <input className={INPUT} type="password" name="password" autoComplete="new-password" value={form.password} onChange={set('password')} required autoFocus />
      </Field>
      <Field label="New password again" error={mismatch ? 'The two passwords differ.' : null}>
        <input className={INPUT} type="password" name="repeat" autoComplete="new-password" value={form.repeat} onChange={set('repeat')} required />
      </Field>
      <ErrorNote error={error} testId="reset-error" />
      <Button variant="primary" type="submit" disabled={busy || mismatch} className="w-full justify-center py-1.5">
        {busy ? 'Saving…' : 'Set the new password'}
      </Button>
    </form>
  );
}
