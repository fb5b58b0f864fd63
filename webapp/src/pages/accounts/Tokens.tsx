import type { Token } from '../../lib/types.ts';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { tokensApi } from '../../lib/api.ts';
import { dateTime } from '../../lib/format.ts';
import { EXPIRY_CHOICES, expired, tokenRequest } from '../../lib/tokens.ts';
import { useAction } from '../../hooks.ts';
import { Button, Card, ConfirmButton, ErrorNote, Field, INPUT } from '../../components/ui.tsx';
import { useToast } from '../../components/toasts.tsx';

/** API tokens for scripts and CI: create (the secret is shown once), list, revoke. */
export function Tokens() {
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: tokensApi.list });
  const [created, setCreated] = useState<Token | null>(null);
  const list = Array.isArray(tokens.data) ? tokens.data : [];

  return (
    <Card title={`API tokens${list.length ? ` (${list.length})` : ''}`} testId="tokens">
      <p className="mb-3 text-xs text-slate-600">
        Send one as <code className="rounded bg-slate-100 px-1">Authorization: Bearer flt_…</code> to call the admin API from
        scripts, CI or other services. A read-only token can look but not change anything.
      </p>
      {created ? <NewToken token={created} onDone={() => setCreated(null)} /> : (
        <CreateToken onCreated={(t: Token) => {
          setCreated(t);
          tokens.refetch();
        }} />
      )}
      <div className="mt-4 border-t border-slate-100 pt-2">
        <ErrorNote error={tokens.error} />
        {tokens.isPending ? <p className="text-sm text-slate-500">Loading…</p>
          : list.length === 0 ? <p className="text-sm text-slate-500">No tokens yet.</p>
            : <TokenTable tokens={list} onChanged={tokens.refetch} />}
      </div>
    </Card>
  );
}

const EMPTY = { name: '', readOnly: false, days: '' };

function CreateToken({ onCreated }: { onCreated: (t: Token) => void }) {
  const [form, setForm] = useState(EMPTY);
  const { busy, error, run } = useAction();
  const set = (name: string) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [name]: e.target.type === 'checkbox' ? (e.target as HTMLInputElement).checked : e.target.value });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const token = await run(() => tokensApi.create(tokenRequest(form)));
    if (token) {
      setForm(EMPTY);
      onCreated(token);
    }
  };

  return (
    <form onSubmit={submit} className="space-y-3" data-testid="token-form">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[2fr_1fr_auto_auto] sm:items-end">
        <Field label="Name" invalid={error && error.field === 'name'}>
          <input className={INPUT} name="name" value={form.name} onChange={set('name')} placeholder="ci" required />
        </Field>
        <Field label="Expires" invalid={error && error.field === 'expires_in_days'}>
          <select className={INPUT} name="expires_in_days" value={form.days} onChange={set('days')}>
            {EXPIRY_CHOICES.map((c) => <option key={c.label} value={c.days === null ? '' : c.days}>{c.label}</option>)}
          </select>
        </Field>
        <label className="flex items-center gap-1.5 pb-1.5 text-xs text-slate-700">
          <input type="checkbox" name="read_only" checked={form.readOnly} onChange={set('readOnly')} />
          Read-only
        </label>
        <Button variant="primary" type="submit" disabled={busy} className="justify-center py-1.5" data-testid="token-create">
          {busy ? 'Creating…' : 'Create token'}
        </Button>
      </div>
      <ErrorNote error={error} testId="token-error" />
    </form>
  );
}

/** The secret, once: the server keeps only its hash. */
function NewToken({ token, onDone }: { token: Token; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token || '');
      setCopied('Copied.');
    } catch {
      // No clipboard API (a page served over plain http to another host): select it for the user.
      field.current?.select();
      setCopied(document.execCommand('copy') ? 'Copied.' : 'Selected: copy it with your keyboard.');
    }
  };
  return (
    <div className="space-y-2 rounded-md bg-emerald-50 p-3 ring-1 ring-emerald-200" data-testid="new-token">
      <p className="text-xs font-medium text-emerald-900">
        Token “{token.name}” created{token.read_only ? ' (read-only)' : ''}. Copy it now: you will not see it again.
      </p>
      <div className="flex gap-2">
        <label className="sr-only" htmlFor="new-token-value">New API token</label>
        <input id="new-token-value" ref={field} readOnly value={token.token} onFocus={(e) => e.target.select()}
          className={`${INPUT} font-mono`} data-testid="new-token-value" />
        <Button variant="primary" onClick={copy} data-testid="new-token-copy">Copy</Button>
        <Button onClick={onDone}>Done</Button>
      </div>
      {copied ? <p className="text-xs text-emerald-800" role="status">{copied}</p> : null}
    </div>
  );
}

function TokenTable({ tokens, onChanged }: { tokens: Token[]; onChanged: () => void }) {
  return (
    <div className="-mx-4 overflow-x-auto">
      <table className="w-full min-w-[640px] text-left text-sm" data-testid="token-table">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr className="border-b border-slate-100">
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-2 py-2 font-medium">Access</th>
            <th className="px-2 py-2 font-medium">Created</th>
            <th className="px-2 py-2 font-medium">Expires</th>
            <th className="px-2 py-2 font-medium">Last used</th>
            <th className="px-4 py-2 text-right font-medium">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t: Token) => <TokenRow key={t.id} token={t} onChanged={onChanged} />)}
        </tbody>
      </table>
    </div>
  );
}

function TokenRow({ token, onChanged }: { token: Token; onChanged: () => void }) {
  const toast = useToast();
  const { busy, error, run } = useAction();
  const revoke = async () => {
    if (await run(() => tokensApi.revoke(token.id).then(() => true))) {
      toast.ok(`Token “${token.name}” revoked`);
      onChanged();
    }
  };
  return (
    <>
      <tr className="border-b border-slate-100 last:border-0" data-testid={`token-row-${token.name}`}>
        <td className="px-4 py-2 font-medium">{token.name}</td>
        <td className="px-2 py-2 text-xs">{token.read_only ? 'read-only' : 'read-write'}</td>
        <td className="px-2 py-2 text-xs text-slate-600">{dateTime(token.created_at)}</td>
        <td className={`px-2 py-2 text-xs ${expired(token) ? 'text-rose-700' : 'text-slate-600'}`}>
          {token.expires_at ? `${dateTime(token.expires_at)}${expired(token) ? ' (expired)' : ''}` : 'never'}
        </td>
        <td className="px-2 py-2 text-xs text-slate-600">{token.last_used_at ? dateTime(token.last_used_at) : 'never'}</td>
        <td className="px-4 py-2 text-right">
          <ConfirmButton confirm="Really revoke?" onConfirm={revoke} disabled={busy} data-testid="token-revoke">Revoke</ConfirmButton>
        </td>
      </tr>
      {error ? <tr><td colSpan={6} className="px-4 pb-2"><ErrorNote error={error} /></td></tr> : null}
    </>
  );
}
