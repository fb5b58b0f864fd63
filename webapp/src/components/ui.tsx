// The few building blocks every screen uses, so the page reads as one design.
import { cloneElement, isValidElement, useId, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { ApiError } from '../lib/api.ts';

export function Card({ title, actions, children, className = '', testId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`card ${className}`} data-testid={testId} aria-label={typeof title === 'string' ? title : undefined}>
      {(title || actions) && (
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3 dark:border-slate-800">
          <h2 className="text-sm font-semibold text-slate-800 dark:text-slate-100">{title}</h2>
          <div className="flex flex-wrap items-center gap-2">{actions}</div>
        </header>
      )}
      <div className="p-4">{children}</div>
    </section>
  );
}

const BUTTON = {
  primary: 'bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300 dark:disabled:bg-indigo-900',
  secondary: 'border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 disabled:text-slate-400 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700',
  danger: 'border border-rose-300 bg-white text-rose-700 hover:bg-rose-50 disabled:text-rose-300 dark:border-rose-800 dark:bg-slate-800 dark:text-rose-300',
};

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof BUTTON; 'data-testid'?: string };

export function Button({ variant = 'secondary', className = '', type = 'button', ...props }: ButtonProps) {
  return (
    <button type={type}
      className={`focus-ring inline-flex items-center gap-1 rounded-md px-2.5 py-1 text-xs font-medium transition disabled:cursor-not-allowed ${BUTTON[variant]} ${className}`}
      {...props} />
  );
}

/** A destructive action: the first click asks, the second does it; leaving the button cancels. */
export function ConfirmButton({ confirm, onConfirm, children, ...props }: ButtonProps & { confirm: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  return (
    <Button variant="danger" {...props}
      onClick={(e) => {
        e.stopPropagation();
        setAsking(!asking);
        if (asking) onConfirm();
      }}
      onBlur={() => setAsking(false)}>
      {asking ? confirm : children}
    </Button>
  );
}

const STATUS: Record<string, string> = {
  running: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-300',
  stopped: 'bg-slate-100 text-slate-600 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300',
  failed: 'bg-rose-50 text-rose-700 ring-rose-600/20 dark:bg-rose-950 dark:text-rose-300',
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS[status] || STATUS.stopped}`}>
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${status === 'running' ? 'bg-emerald-500' : status === 'failed' ? 'bg-rose-500' : 'bg-slate-400'}`} />
      <span data-testid={testId}>{status}</span>
    </span>
  );
}

/** An admin API error exactly as the server said it, with the field it names. */
export function ErrorNote({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const e = error as Partial<ApiError> & { message: string };
  return (
    <p role="alert" data-testid={testId} className="rounded-md bg-rose-50 px-3 py-2 text-xs text-rose-800 ring-1 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-900">
      {e.status ? <span className="font-semibold">{e.status} </span> : null}
      {e.message}
      {e.field ? <span className="ml-1">(field: <code>{e.field}</code>)</span> : null}
    </p>
  );
}

/** Says why a panel is empty when this Faultline lacks its endpoint. */
export function Unavailable({ what, endpoint }: { what: string; endpoint: string }) {
  return (
    <p className="muted text-xs" data-testid="unavailable">
      {what} is not available on this Faultline (<code>{endpoint}</code> is missing).
    </p>
  );
}

/**
 * A labelled input. `error` is a check of our own, shown under it; `invalid` marks the field an
 * API refusal named (its message is shown once, in the ErrorNote of the form).
 */
export function Field({ label, help, error, invalid, children }: { label: ReactNode; help?: ReactNode; error?: string | null; invalid?: boolean | null; children: ReactNode }) {
  // The label names the input alone; the help and our own check describe it (aria-describedby).
  const id = useId();
  const described = error ? `${id}-error` : help ? `${id}-help` : undefined;
  const child = isValidElement<Record<string, unknown>>(children)
    ? cloneElement(children, { id: (children.props.id as string) || id, 'aria-describedby': described, 'aria-invalid': invalid || error ? true : undefined })
    : children;
  const inputId = isValidElement<Record<string, unknown>>(children) ? ((children.props.id as string) || id) : undefined;
  return (
    <div className="block text-xs">
      <label htmlFor={inputId} className="font-medium text-slate-700 dark:text-slate-200">{label}</label>
      <div className={`mt-1 rounded-md ${invalid || error ? 'ring-2 ring-rose-400' : ''}`}>{child}</div>
      {help && !error ? <span id={`${id}-help`} className="muted mt-0.5 block">{help}</span> : null}
      {error ? <span id={`${id}-error`} className="mt-0.5 block text-rose-600 dark:text-rose-300">{error}</span> : null}
    </div>
  );
}

export const INPUT = 'input';

/** A row of mutually exclusive choices (a window, a tab-like filter), keyboard reachable. */
export function Segmented<T extends string>({ label, options, value, onChange }: { label: string; options: readonly T[]; value: T; onChange: (v: T) => void }) {
  return (
    <div className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-600" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o} type="button" aria-pressed={o === value} onClick={() => onChange(o)}
          className={`focus-ring px-2 py-0.5 text-xs ${o === value ? 'bg-slate-800 text-white dark:bg-indigo-600' : 'bg-white text-slate-600 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-300'}`}>
          {o}
        </button>
      ))}
    </div>
  );
}

export function Stat({ label, value, sub, tone, testId, children }: { label: string; value: ReactNode; sub?: ReactNode; tone?: 'bad'; testId?: string; children?: ReactNode }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className="muted truncate text-xs">{label}</div>
      <div className={`mt-0.5 truncate text-lg font-semibold tabular-nums ${tone === 'bad' ? 'text-rose-700 dark:text-rose-300' : 'text-slate-900 dark:text-slate-50'}`}>{value}</div>
      {sub ? <div className="muted truncate text-[11px]">{sub}</div> : null}
      {children}
    </div>
  );
}

export function Loading({ what = '' }: { what?: string }) {
  return <p className="muted text-sm" role="status">Loading{what ? ` ${what}` : ''}…</p>;
}
