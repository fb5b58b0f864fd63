// Confirmations and failures of actions, in one polite live region so a screen reader hears them.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface Toast { id: number; tone: 'ok' | 'error'; text: string }
interface Toaster { ok: (text: string) => void; error: (text: string) => void }

const ToastContext = createContext<Toaster>({ ok: () => {}, error: () => {} });
let next = 1;

export function ToastProvider({ children, timeoutMs = 5000 }: { children: ReactNode; timeoutMs?: number }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((tone: Toast['tone'], text: string) => {
    const id = next++;
    setToasts((t) => [...t.slice(-3), { id, tone, text }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), timeoutMs);
  }, [timeoutMs]);
  const api = useMemo(() => ({ ok: (t: string) => push('ok', t), error: (t: string) => push('error', t) }), [push]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div aria-live="polite" role="status" className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-80 max-w-[calc(100vw-2rem)] flex-col gap-2" data-testid="toasts">
        {toasts.map((t) => (
          <div key={t.id} className={`pointer-events-auto rounded-md px-3 py-2 text-sm shadow-lg ring-1 ${t.tone === 'ok' ? 'bg-emerald-700 text-white ring-emerald-800' : 'bg-rose-600 text-white ring-rose-700'}`}>
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
