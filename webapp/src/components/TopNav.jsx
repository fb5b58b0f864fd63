import { authApi } from '../lib/api.js';
import { useAction } from '../hooks.js';
import { Link, useNavigate } from './nav.jsx';

/** The views of a signed-in user; Users only for admins. `current` is the route's name. */
export function TopNav({ me, current, onSignedOut }) {
  const navigate = useNavigate();
  const { busy, error, run } = useAction();
  const links = [
    ['proxies', '/', 'Proxies'],
    ['tokens', '/tokens', 'API tokens'],
    ['audit', '/audit', 'Audit'],
    ...(me.role === 'admin' ? [['users', '/users', 'Users']] : []),
  ];
  const signOut = async () => {
    // A 401 means the session had ended already; any other failure leaves the cookie in place,
    // so the page says so rather than pretending.
    const done = await run(() => authApi.logout().then(() => true, (e) => {
      if (e.status === 401) return true;
      throw e;
    }));
    if (!done) return;
    onSignedOut();
    navigate('/login', { replace: true });
  };
  return (
    <nav aria-label="Main" className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-800 pt-2 text-xs" data-testid="top-nav">
      <ul className="flex flex-wrap gap-1">
        {links.map(([name, to, label]) => (
          <li key={name}>
            <Link to={to} aria-current={current === name ? 'page' : undefined} data-testid={`nav-${name}`}
              className={`rounded-md px-2.5 py-1 font-medium ${current === name ? 'bg-slate-700 text-white' : 'text-slate-300 hover:bg-slate-800 hover:text-white'}`}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
      <div className="flex items-center gap-2">
        {error ? <span role="alert" className="text-rose-300">Sign out failed: {error.message}</span> : null}
        <Link to="/account" data-testid="nav-account" aria-current={current === 'account' ? 'page' : undefined}
          className={`rounded-md px-2 py-1 ${current === 'account' ? 'bg-slate-700 text-white' : 'text-slate-300 hover:text-white'}`}>
          <span data-testid="nav-email">{me.email}</span>
          {me.role === 'admin' ? <span className="ml-1 rounded bg-indigo-500/30 px-1 text-[10px] uppercase text-indigo-200">admin</span> : null}
        </Link>
        <button type="button" onClick={signOut} disabled={busy} data-testid="sign-out"
          className="rounded-md border border-slate-600 px-2 py-1 text-slate-200 hover:bg-slate-800">
          Sign out
        </button>
      </div>
    </nav>
  );
}
