import type { Session } from '../../hooks.ts';
import { usePublicRoute } from './AuthLayout.tsx';
import { useEffect, useState } from 'react';
import { authApi } from '../../lib/api.ts';
import { AuthLayout, Notice } from './AuthLayout.tsx';
import { Link } from 'react-router';
import { ErrorNote } from '../../components/ui.tsx';

// The link is single-use: each token is posted once per page load, even when React runs the
// effect twice (StrictMode) or the screen is shown again.
const posted = new Map<string, Promise<unknown>>();
const verifyOnce = (token: string) => {
  if (!posted.has(token)) posted.set(token, authApi.verify(token));
  return posted.get(token)!;
};

/** The link in the verification mail (/verify?token=…) lands here and is posted at once. */
export function Verify({ session }: { session: Session }) {
  const route = usePublicRoute();
  const [state, setState] = useState<{ done: boolean; error: unknown }>({ done: false, error: null });
  const { token } = route;
  const { reload } = session;

  useEffect(() => {
    if (!token) return undefined;
    let current = true;
    verifyOnce(token).then(
      () => {
        if (current) setState({ done: true, error: null });
        reload(); // a signed-in user loses the "verify your email" banner
      },
      (error: unknown) => current && setState({ done: false, error }),
    );
    return () => {
      current = false;
    };
  }, [token, reload]);

  return (
    <AuthLayout title="Verify your email" testId="verify">
      <div className="space-y-4">
        {!token ? <p className="text-sm text-slate-600">Open the link from the verification mail: it carries the token.</p>
          : state.done ? <Notice testId="verified">Your email is verified.</Notice>
            : state.error ? <ErrorNote error={state.error} testId="verify-error" />
              : <p className="text-sm text-slate-500">Verifying…</p>}
        <p className="border-t border-slate-100 pt-3 text-xs">
          {session.me
            ? <Link to="/" className="text-indigo-700 hover:underline">Open the dashboard</Link>
            : <Link to="/login" className="text-indigo-700 hover:underline">Sign in</Link>}
        </p>
      </div>
    </AuthLayout>
  );
}
