import { useEffect, useState } from 'react';
import { NavLink, Navigate, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { authApi } from './lib/api.ts';
import { signInPath } from './lib/routes.ts';
import { useAction, useSession, type Session } from './hooks.ts';
import { Button, ErrorNote } from './components/ui.tsx';
import { VerifyBanner } from './pages/accounts/VerifyBanner.tsx';
import { SignIn } from './pages/accounts/SignIn.tsx';
import { Register } from './pages/accounts/Register.tsx';
import { Setup } from './pages/accounts/Setup.tsx';
import { Verify } from './pages/accounts/Verify.tsx';
import { Reset } from './pages/accounts/Reset.tsx';
import { Account } from './pages/accounts/Account.tsx';
import { Tokens } from './pages/accounts/Tokens.tsx';
import { Users } from './pages/accounts/Users.tsx';
import { Audit } from './pages/accounts/Audit.tsx';
import { Overview } from './pages/Overview.tsx';
import { Proxies } from './pages/Proxies.tsx';
import { ProxyDetail } from './pages/ProxyDetail.tsx';
import { TrafficConsole } from './pages/TrafficConsole.tsx';
import { Plugins } from './pages/Plugins.tsx';
import { Cluster } from './pages/Cluster.tsx';
import { PlaygroundPage } from './pages/Playground.tsx';

/** Every screen has its own URL; the admin API serves index.html for any page path. */
export function App() {
  const session = useSession();
  return (
    <Routes>
      <Route path="/login" element={<SignIn session={session} />} />
      <Route path="/register" element={<Register />} />
      <Route path="/setup" element={<Setup session={session} />} />
      <Route path="/verify" element={<Verify session={session} />} />
      <Route path="/reset" element={<Reset />} />
      <Route element={<SignedIn session={session} />}>
        <Route index element={<Overview />} />
        <Route path="proxies" element={<Proxies />} />
        <Route path="proxies/:id" element={<ProxyDetail />} />
        <Route path="proxies/:id/:tab" element={<ProxyDetail />} />
        <Route path="logs" element={<TrafficConsole />} />
        <Route path="plugins" element={<Plugins />} />
        <Route path="cluster" element={<Cluster />} />
        <Route path="playground" element={<PlaygroundPage />} />
        <Route path="account" element={<MeOnly session={session} render={(me) => <Account me={me} />} />} />
        <Route path="tokens" element={<MeOnly session={session} render={() => <Tokens />} />} />
        <Route path="audit" element={<MeOnly session={session} render={(me) => <Audit me={me} />} />} />
        <Route path="users" element={<MeOnly session={session} render={(me) => (me.role === 'admin' ? <Users me={me} />
          : <p className="muted text-sm" data-testid="admins-only">Only admins manage users.</p>)} />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

function MeOnly({ session, render }: { session: Session; render: (me: NonNullable<Session['me']>) => React.ReactNode }) {
  return session.me ? <>{render(session.me)}</> : <Navigate to="/" replace />;
}

/** The dashboard proper: without a session, the sign-in screen, which comes back here after. */
function SignedIn({ session }: { session: Session }) {
  const location = useLocation();
  const needsSignIn = session.loaded && session.accounts && !session.me && !session.error;
  if (!session.loaded) return <Waiting />;
  if (needsSignIn) return <Navigate to={signInPath(location)} replace />;
  if (!session.me && session.accounts) return <Unreachable error={session.error} onRetry={() => session.reload()} />;
  return <Shell session={session} />;
}

function Waiting() {
  return <div className="grid min-h-screen place-items-center bg-slate-100 text-sm text-slate-500 dark:bg-slate-950" role="status">Loading…</div>;
}

/** Faultline did not answer who is signed in (it is down, or the network is). */
function Unreachable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="min-h-screen bg-slate-100 px-4 py-12 dark:bg-slate-950">
      <div className="mx-auto max-w-md space-y-3">
        <ErrorNote error={error} />
        <Button onClick={onRetry}>Try again</Button>
      </div>
    </div>
  );
}

const NAV: Array<{ to: string; label: string; name: string; end?: boolean; admin?: boolean; accounts?: boolean }> = [
  { to: '/', label: 'Overview', name: 'overview', end: true },
  { to: '/proxies', label: 'Proxies', name: 'proxies' },
  { to: '/logs', label: 'Logs', name: 'logs' },
  { to: '/playground', label: 'Playground', name: 'playground' },
  { to: '/plugins', label: 'Plugins', name: 'plugins' },
  { to: '/cluster', label: 'Cluster', name: 'cluster' },
  { to: '/tokens', label: 'API tokens', name: 'tokens', accounts: true },
  { to: '/audit', label: 'Audit', name: 'audit', accounts: true },
  { to: '/users', label: 'Users', name: 'users', accounts: true, admin: true },
];

function Shell({ session }: { session: Session }) {
  const { me } = session;
  const [open, setOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setOpen(false), [location.pathname]);
  const links = NAV.filter((l) => (!l.accounts || me) && (!l.admin || (me && me.role === 'admin')));
  return (
    <div className="min-h-screen bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-100 lg:grid lg:grid-cols-[13rem_1fr]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-2 focus:py-1 focus:text-sm">Skip to content</a>
      <aside className="bg-slate-900 text-slate-100 lg:sticky lg:top-0 lg:h-screen lg:overflow-y-auto">
        <div className="flex items-center justify-between gap-2 px-4 py-3">
          <div className="flex items-center gap-2">
            <span aria-hidden className="grid h-7 w-7 place-items-center rounded-md bg-indigo-500 text-sm font-bold text-white">F</span>
            <span className="text-base font-semibold tracking-tight">Faultline</span>
          </div>
          <button type="button" className="focus-ring rounded-md border border-slate-600 px-2 py-1 text-xs lg:hidden" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
            Menu
          </button>
        </div>
        <nav id="main-nav" aria-label="Main" data-testid="top-nav" className={`${open ? 'block' : 'hidden'} px-2 pb-3 lg:block`}>
          <ul className="space-y-0.5">
            {links.map((l) => (
              <li key={l.name}>
                <NavLink to={l.to} end={l.end} data-testid={`nav-${l.name}`}
                  className={({ isActive }) => `focus-ring block rounded-md px-3 py-1.5 text-sm ${isActive ? 'bg-slate-700 font-medium text-white' : 'text-slate-300 hover:bg-slate-800 hover:text-white'}`}>
                  {l.label}
                </NavLink>
              </li>
            ))}
          </ul>
          <div className="mt-4 space-y-2 border-t border-slate-800 px-1 pt-3 text-xs">
            <Health />
            <ThemeSwitch />
            {me ? <SignedInAs session={session} /> : null}
          </div>
        </nav>
      </aside>
      <main id="main" className="min-w-0 space-y-4 px-3 py-4 sm:px-6">
        {me && me.verified === false ? <VerifyBanner me={me} /> : null}
        <Outlet />
      </main>
    </div>
  );
}

function SignedInAs({ session }: { session: Session }) {
  const navigate = useNavigate();
  const { busy, error, run } = useAction();
  const me = session.me!;
  const signOut = async () => {
    // A 401 means the session had ended already; any other failure leaves the cookie in place,
    // so the page says so rather than pretending.
    const done = await run(() => authApi.logout().then(() => true, (e) => {
      if (e.status === 401) return true;
      throw e;
    }));
    if (!done) return;
    session.signedOut();
    navigate('/login', { replace: true });
  };
  return (
    <div className="space-y-2">
      <NavLink to="/account" data-testid="nav-account" className={({ isActive }) => `focus-ring block truncate rounded-md px-2 py-1 ${isActive ? 'bg-slate-700 text-white' : 'text-slate-300 hover:text-white'}`}>
        <span data-testid="nav-email">{me.email}</span>
        {me.role === 'admin' ? <span className="ml-1 rounded bg-indigo-500/30 px-1 text-[10px] uppercase text-indigo-200">admin</span> : null}
      </NavLink>
      {error ? <p role="alert" className="text-rose-300">Sign out failed: {error.message}</p> : null}
      <button type="button" onClick={signOut} disabled={busy} data-testid="sign-out" className="focus-ring w-full rounded-md border border-slate-600 px-2 py-1 text-slate-200 hover:bg-slate-800">
        Sign out
      </button>
    </div>
  );
}

function Health() {
  // 503 is an answer too: its body says what is down.
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => fetch('/healthz').then((r) => r.json() as Promise<{ status?: string; db?: string; version?: string }>),
    refetchInterval: 5000,
  });
  const h = health.data;
  const up = h && h.status === 'ok';
  return (
    <div className="flex items-center gap-2 px-2" data-testid="health">
      <span aria-hidden className={`h-2 w-2 rounded-full ${up ? 'bg-emerald-400' : health.isFetched ? 'bg-rose-400' : 'bg-slate-500'}`} />
      <span className="text-slate-300">
        {!health.isFetched ? 'checking…' : up ? 'healthy' : `degraded${h && h.db ? ` (db ${h.db})` : ''}`}
        {h && h.version ? ` · v${h.version}` : ''}
      </span>
    </div>
  );
}

/** Light or dark, first as the system prefers, then as chosen (kept in this browser). */
export function ThemeSwitch() {
  const [dark, setDark] = useState(() => document.documentElement.classList.contains('dark'));
  const toggle = () => {
    const next = !dark;
    setDark(next);
    document.documentElement.classList.toggle('dark', next);
    try {
      localStorage.setItem('faultline-theme', next ? 'dark' : 'light');
    } catch {
      // private windows may refuse storage: the choice lasts this page only
    }
  };
  return (
    <button type="button" onClick={toggle} aria-pressed={dark} data-testid="theme" className="focus-ring w-full rounded-md border border-slate-600 px-2 py-1 text-left text-slate-200 hover:bg-slate-800">
      {dark ? 'Dark theme (switch to light)' : 'Light theme (switch to dark)'}
    </button>
  );
}
