// The few building blocks every panel uses, so the page reads as one design.
import { useState } from 'react';

export function Card({ title, actions, children, className = '', testId }) {
  return (
    <section className={`rounded-xl border border-slate-200 bg-white shadow-sm ${className}`} data-testid={testId}>
      {(title || actions) && (
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3">
          <h2 className="text-sm font-semibold text-slate-800">{title}</h2>
          <div className="flex flex-wrap items-center gap-2">{actions}</div>
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}

const BUTTON = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300',
  secondary: 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'border border-rose-300 bg-white text-rose-700 hover:bg-rose-50 disabled:text-rose-300',
};

export function Button({ variant = 'secondary', className = '', ...props }) {
  return (
    <button
      type="button"
      className={`inline-flex items-center gap-1 rounded-md px-2.5 py-1 text-xs font-medium transition disabled:cursor-not-allowed ${BUTTON[variant]} ${className}`}
      {...props}
    />
  );
}

/** A destructive action: the first click asks, the second does it; leaving the button cancels. */
export function ConfirmButton({ confirm, onConfirm, children, ...props }) {
  const [asking, setAsking] = useState(false);
  const click = (e) => {
    e.stopPropagation();
    setAsking(!asking);
    if (asking) onConfirm();
  };
  return (
    <Button variant="danger" onClick={click} onBlur={() => setAsking(false)} {...props}>
      {asking ? confirm : children}
    </Button>
  );
}

const STATUS = {
  running: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  stopped: 'bg-slate-100 text-slate-600 ring-slate-500/20',
  failed: 'bg-rose-50 text-rose-700 ring-rose-600/20',
};

export function StatusBadge({ status }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS[status] || STATUS.stopped}`}>
      <span className={`h-1.5 w-1.5 rounded-full ${status === 'running' ? 'bg-emerald-500' : status === 'failed' ? 'bg-rose-500' : 'bg-slate-400'}`} />
      {status}
    </span>
  );
}

/** An admin API error exactly as the server said it, with the field it names. */
export function ErrorNote({ error, testId = 'error' }) {
  if (!error) return null;
  return (
    <p role="alert" data-testid={testId} className="rounded-md bg-rose-50 px-3 py-2 text-xs text-rose-800 ring-1 ring-rose-200">
      {error.status ? <span className="font-semibold">{error.status} </span> : null}
      {error.message}
      {error.field ? <span className="ml-1 text-rose-600">(field: <code>{error.field}</code>)</span> : null}
    </p>
  );
}

/** Says why a panel is empty when this Faultline lacks its endpoint. */
export function Unavailable({ what, endpoint }) {
  return (
    <p className="text-xs text-slate-500" data-testid="unavailable">
      {what} is not available on this Faultline (<code>{endpoint}</code> is missing).
    </p>
  );
}

/**
 * A labelled input. `error` is a check of our own, shown under it; `invalid` marks the field an
 * API refusal named (its message is shown once, in the ErrorNote of the form).
 */
export function Field({ label, help, error, invalid, children }) {
  return (
    <label className="block text-xs">
      <span className="font-medium text-slate-700">{label}</span>
      <div className={`mt-1 rounded-md ${invalid || error ? 'ring-2 ring-rose-400' : ''}`}>{children}</div>
      {help && !error ? <span className="mt-0.5 block text-slate-500">{help}</span> : null}
      {error ? <span className="mt-0.5 block text-rose-600">{error}</span> : null}
    </label>
  );
}

export const INPUT = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 shadow-xs focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

export function Tabs({ tabs, active, onChange }) {
  return (
    <nav className="flex gap-1 border-b border-slate-200" role="tablist">
      {tabs.map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          aria-selected={tab === active}
          data-testid={`tab-${tab.toLowerCase().replace(/\s+/g, '-')}`}
          onClick={() => onChange(tab)}
          className={`-mb-px border-b-2 px-3 py-2 text-xs font-medium ${tab === active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-500 hover:text-slate-800'}`}
        >
          {tab}
        </button>
      ))}
    </nav>
  );
}
