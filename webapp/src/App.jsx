import { useCallback, useEffect, useState } from 'react';
import { routeFrom, signInPath } from './lib/routes.js';
import { usePoll, useSession } from './hooks.js';
import { Account } from './components/Account.jsx';
import { Audit } from './components/Audit.jsx';
import { NavContext } from './components/nav.jsx';
import { ProxiesView } from './components/ProxiesView.jsx';
import { Register } from './components/Register.jsx';
import { Reset } from './components/Reset.jsx';
import { Setup } from './components/Setup.jsx';
import { SignIn } from './components/SignIn.jsx';
import { Tokens } from './components/Tokens.jsx';
import { TopNav } from './components/TopNav.jsx';
import { Users } from './components/Users.jsx';
import { Verify } from './components/Verify.jsx';
import { VerifyBanner } from './components/VerifyBanner.jsx';
import { Button, Card, ErrorNote } from './components/ui.jsx';

const currentRoute = () => routeFrom(window.location.pathname, window.location.search);

const PUBLIC_SCREENS = { signin: SignIn, register: Register, setup: Setup, verify: Verify, reset: Reset };

export function App() {
  const [route, setRoute] = useState(currentRoute);
  const session = useSession();

  // Views switch by path: pushState records them, the back button (popstate) comes back.
  const navigate = useCallback((path, { replace = false } = {}) => {
    if (path !== `${window.location.pathname}${window.location.search}`) {
      window.history[replace ? 'replaceState' : 'pushState'](null, '', path);
    }
    setRoute(currentRoute());
  }, []);
  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // No session (never had one, or a call answered 401): sign in, then come back here.
  const needsSignIn = !route.public && session.loaded && session.accounts && !session.me && !session.error;
  useEffect(() => {
    if (needsSignIn) navigate(signInPath(window.location), { replace: true });
  }, [needsSignIn, navigate]);

  let page;
  if (route.public) {
    const Screen = PUBLIC_SCREENS[route.name];
    page = <Screen route={route} session={session} />;
  } else if (!session.loaded || needsSignIn) {
    page = <Waiting />;
  } else if (!session.me && session.accounts) {
    page = <Unreachable error={session.error} onRetry={session.reload} />;
  } else {
    page = <SignedIn route={route} session={session} />;
  }
  return <NavContext.Provider value={navigate}>{page}</NavContext.Provider>;
}

/** The dashboard proper. `session.me` is null only on a Faultline without accounts. */
function SignedIn({ route, session }) {
  const { me } = session;
  let view;
  if (route.name === 'account' && me) view = <Account me={me} />;
  else if (route.name === 'tokens' && me) view = <Tokens />;
  else if (route.name === 'audit' && me) view = <Audit me={me} />;
  else if (route.name === 'users' && me) {
    view = me.role === 'admin' ? <Users me={me} />
      : <Card title="Users"><p className="text-sm text-slate-600">Only admins manage users.</p></Card>;
  } else view = <ProxiesView selectedId={route.id} tab={route.tab} />;

  return (
    <div className="min-h-screen bg-slate-100 text-slate-900">
      <Header>{me ? <TopNav me={me} current={route.name} onSignedOut={session.signedOut} /> : null}</Header>
      <main className="mx-auto max-w-screen-2xl space-y-4 px-4 py-4 sm:px-6">
        {me && me.verified === false ? <VerifyBanner me={me} /> : null}
        {view}
      </main>
    </div>
  );
}

function Waiting() {
  return <div className="grid min-h-screen place-items-center bg-slate-100 text-sm text-slate-500">Loading…</div>;
}

/** Faultline did not answer who is signed in (it is down, or the network is). */
function Unreachable({ error, onRetry }) {
  return (
    <div className="min-h-screen bg-slate-100 px-4 py-12">
      <div className="mx-auto max-w-md space-y-3">
        <ErrorNote error={error} />
        <Button onClick={onRetry}>Try again</Button>
      </div>
    </div>
  );
}

function Header({ children }) {
  // 503 is an answer too: its body says what is down.
  const health = usePoll(() => fetch('/healthz').then((r) => r.json()), 5000, []);
  const h = health.data;
  const up = h && h.status === 'ok';
  return (
    <header className="bg-slate-900 text-slate-100">
      <div className="mx-auto max-w-screen-2xl space-y-2 px-4 py-3 sm:px-6">
        <div className="flex items-center justify-between gap-4">
          <div className="flex items-center gap-2">
            <span className="grid h-7 w-7 place-items-center rounded-md bg-indigo-500 text-sm font-bold text-white">F</span>
            <span className="text-base font-semibold tracking-tight">Faultline</span>
            <span className="hidden text-xs text-slate-400 sm:inline">proxies in front of LLM APIs</span>
          </div>
          <div className="flex items-center gap-2 text-xs" data-testid="health">
            <span className={`h-2 w-2 rounded-full ${up ? 'bg-emerald-400' : health.loaded ? 'bg-rose-400' : 'bg-slate-500'}`} />
            <span className="text-slate-300">
              {!health.loaded ? 'checking…' : up ? 'healthy' : `degraded${h && h.db ? ` (db ${h.db})` : ''}`}
              {h && h.version ? ` · v${h.version}` : ''}
            </span>
          </div>
        </div>
        {children}
      </div>
    </header>
  );
}
