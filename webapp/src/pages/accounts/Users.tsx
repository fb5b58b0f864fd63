import type { Me, User } from '../../lib/types.ts';
import { useQuery } from '@tanstack/react-query';
import { usersApi } from '../../lib/api.ts';
import { dateTime } from '../../lib/format.ts';
import { useAction } from '../../hooks.ts';
import { Button, Card, ErrorNote } from '../../components/ui.tsx';
import { useToast } from '../../components/toasts.tsx';

/** Admins: every account, made admin or user, disabled or enabled (PATCH /api/users/<id>). */
export function Users({ me }: { me: Me }) {
  const users = useQuery({ queryKey: ['users'], queryFn: usersApi.list });
  const list = Array.isArray(users.data) ? users.data : [];
  return (
    <Card title={`Users${list.length ? ` (${list.length})` : ''}`} testId="users">
      <ErrorNote error={users.error} />
      {users.isPending ? <p className="text-sm text-slate-500">Loading…</p> : (
        <div className="-mx-4 overflow-x-auto">
          <table className="w-full min-w-[640px] text-left text-sm" data-testid="user-table">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr className="border-b border-slate-100">
                <th className="px-4 py-2 font-medium">Email</th>
                <th className="px-2 py-2 font-medium">Role</th>
                <th className="px-2 py-2 font-medium">Verified</th>
                <th className="px-2 py-2 font-medium">State</th>
                <th className="px-2 py-2 font-medium">Created</th>
                <th className="px-4 py-2 text-right font-medium">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => <UserRow key={u.id} user={u} self={u.id === me.id} onChanged={users.refetch} />)}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function UserRow({ user, self, onChanged }: { user: User; self: boolean; onChanged: () => void }) {
  const { busy, error, run } = useAction();
  const toast = useToast();
  const change = (changes: Record<string, unknown>) => async () => {
    if (await run(() => usersApi.update(user.id, changes))) {
      toast.ok(`${user.email}: ${changes.role ? `now ${changes.role}` : changes.disabled ? 'disabled' : 'enabled'}`);
      onChanged();
    }
  };
  // Your own role and state are left alone here: one click must not lock the last admin out.
  const why = self ? 'your own account' : undefined;
  return (
    <>
      <tr className={`border-b border-slate-100 last:border-0 ${user.disabled ? 'text-slate-400' : ''}`} data-testid={`user-row-${user.email}`}>
        <td className="px-4 py-2 font-medium">{user.email}{self ? <span className="ml-1 text-xs text-slate-500">(you)</span> : null}</td>
        <td className="px-2 py-2 text-xs">{user.role}</td>
        <td className="px-2 py-2 text-xs">{user.verified ? 'yes' : 'no'}</td>
        <td className="px-2 py-2 text-xs">{user.disabled ? 'disabled' : 'active'}</td>
        <td className="px-2 py-2 text-xs text-slate-600">{dateTime(user.created_at)}</td>
        <td className="whitespace-nowrap px-4 py-2 text-right">
          <div className="inline-flex gap-1">
            {user.role === 'admin'
              ? <Button onClick={change({ role: 'user' })} disabled={busy || self} title={why} data-testid="user-make-user">Make user</Button>
              : <Button onClick={change({ role: 'admin' })} disabled={busy || self} title={why} data-testid="user-make-admin">Make admin</Button>}
            {user.disabled
              ? <Button onClick={change({ disabled: false })} disabled={busy || self} title={why} data-testid="user-enable">Enable</Button>
              : <Button variant="danger" onClick={change({ disabled: true })} disabled={busy || self} title={why} data-testid="user-disable">Disable</Button>}
          </div>
        </td>
      </tr>
      {error ? <tr><td colSpan={6} className="px-4 pb-2"><ErrorNote error={error} /></td></tr> : null}
    </>
  );
}
