// The frame of the screens shown before signing in: the logo and one narrow card.
import { Card } from './ui.jsx';

export function AuthLayout({ title, children, testId }) {
  return (
    <div className="min-h-screen bg-slate-100 px-4 py-12 text-slate-900">
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
export function Notice({ children, testId = 'notice' }) {
  return (
    <p role="status" data-testid={testId} className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-800 ring-1 ring-emerald-200">
      {children}
    </p>
  );
}
