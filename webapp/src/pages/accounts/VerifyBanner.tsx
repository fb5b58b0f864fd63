import type { Me } from '../../lib/types.ts';
import { useState } from 'react';
import { authApi } from '../../lib/api.ts';
import { useAction } from '../../hooks.ts';
import { Button, ErrorNote } from '../../components/ui.tsx';

/** An unverified account may look around but not create proxies (the API answers 403). */
export function VerifyBanner({ me }: { me: Me }) {
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();
  const resend = async () => {
    if (await run(() => authApi.resendVerification().then(() => true))) setSent(true);
  };
  return (
    <div role="status" data-testid="verify-banner" className="space-y-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span>
          Verify your email: open the link sent to <strong>{me.email}</strong>. Until then you cannot create proxies.
          {sent ? ' A new link is on its way.' : ''}
        </span>
        <Button onClick={resend} disabled={busy || sent} data-testid="verify-resend">{busy ? 'Sending…' : 'Send the link again'}</Button>
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
