import { useSearchParams } from 'react-router';
import { safeNext } from '../../lib/routes.ts';
import type { ReactNode } from 'react';
// The frame of the screens shown before signing in: the logo and one narrow card.
import { Card } from '../../components/ui.tsx';

export function AuthLayout({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-h-screen bg-slate-100 px-4 py-12 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <div className="mx-auto max-w-sm space-y-4">
        <div className="flex items-center justify-center gap-2">
          <span className="grid h-8 w-8 place-items-center rounded-md bg-indigo-500 text-base font-bold text-white">F</span>
          <span className="text-lg font-semibold tracking-tight">Faultline</span>
        </div>
        <Card title={title} testId={testId}>{children}</Card>
      </div>
    </div>
  );
}

/** A plain line of news on an auth screen (a mail sent, a password changed). */
export function Notice({ children, testId = "notice" }: { children: ReactNode; testId?: string }) {
  return (
    <p role="status" data-testid={testId} className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-800 ring-1 ring-emerald-200">
      {children}
    </p>
  );
}

/** What a public screen's link carries: its token, where to go next, an error to show. */
export function usePublicRoute() {
  const [query] = useSearchParams();
  return { token: query.get('token') || null, next: safeNext(query.get('next')), error: query.get('error') || null };
}
