import type { Me } from '../../lib/types.ts';
import { useState } from 'react';
import { authApi } from '../../lib/api.ts';
import { dateTime } from '../../lib/format.ts';
import { useAction } from '../../hooks.ts';
import { Notice } from './AuthLayout.tsx';
import { Button, Card, ErrorNote, Field, INPUT } from '../../components/ui.tsx';

/** Who is signed in, a password change, and sign out (in the top bar). */
export function Account({ me }: { me: Me }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Account" testId="account">
        <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
          <dt className="text-slate-500">Email</dt>
          <dd data-testid="account-email">{me.email}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{me.role}</dd>
          <dt className="text-slate-500">Email verified</dt>
          <dd>{me.verified ? 'yes' : 'not yet'}</dd>
          <dt className="text-slate-500">Member since</dt>
          <dd>{dateTime(me.created_at)}</dd>
        </dl>
      </Card>
      <Card title="Change password">
        <ChangePassword />
      </Card>
    </div>
  );
}

const EMPTY = { current: '', next: '', repeat: '' };

function ChangePassword() {
  const [form, setForm] = useState(EMPTY);
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const set = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setDone(false);
    setForm({ ...form, [name]: e.target.value });
  };
  const mismatch = form.repeat !== '' && form.repeat !== form.next;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    // The server renews this browser's cookie; the token in the answer is not kept.
    if (await run(() => authApi.changePassword(form.current, form.next))) {
      setForm(EMPTY);
      setDone(true);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="password-form">
      <Field label="Current password" invalid={error && error.field === 'current_password'}>
        <input className={INPUT} type="password" name="current_password" autoComplete="current-password" value={form.current} onChange={set('current')} required />
      </Field>
      <Field label="New password" invalid={error && error.field === 'new_password'}>
        <input className={INPUT} type="password" name="new_password" autoComplete="new-password" value={form.next} onChange={set('next')} required />
      </Field>
      <Field label="New password again" error={mismatch ? 'The two passwords differ.' : null}>
        <input className={INPUT} type="password" name="repeat" autoComplete="new-password" value={form.repeat} onChange={set('repeat')} required />
      </Field>
      <ErrorNote error={error} testId="password-error" />
      {done ? <Notice testId="password-changed">Password changed. Every other session of this account is signed out.</Notice> : null}
      <Button variant="primary" type="submit" disabled={busy || mismatch}>{busy ? 'Saving…' : 'Change password'}</Button>
    </form>
  );
}
