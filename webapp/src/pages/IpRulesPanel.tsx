import { useEffect, useState } from 'react';
import type { Proxy } from '../lib/types.ts';
import { BlockForm, useProxyUpdate } from '../components/forms.tsx';
import { Button, ErrorNote, Field, INPUT, Unavailable } from '../components/ui.tsx';

const lines = (list?: string[]) => (Array.isArray(list) ? list.join('\n') : '');
const rules = (text: string) => text.split(/[\n,]/).map((r) => r.trim()).filter(Boolean);

/** The proxy's `ip` block: allow and block lists, one CIDR, address or wildcard per line. */
export function IpRulesPanel({ proxy }: { proxy: Proxy }) {
  const block = proxy.ip;
  const [allow, setAllow] = useState(lines(block && block.allow));
  const [deny, setDeny] = useState(lines(block && block.block));
  const save = useProxyUpdate(proxy, 'IP rules');
  const stored = JSON.stringify(block);
  useEffect(() => {
    setAllow(lines(block && block.allow));
    setDeny(lines(block && block.block));
    // Reset the text when the stored rules change (another tab, or after saving), not on each poll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [proxy.id, stored]);

  if (block === undefined) return <Unavailable what="IP filtering" endpoint="the proxy's ip settings" />;
  const invalid = (name: string) => !!(save.error && save.error.field && save.error.field.startsWith(`ip.${name}`));

  return (
    <div className="space-y-3" data-testid="ip-panel">
      <p className="muted text-xs">
        Decided on the caller's address. Block wins over allow; an empty allow list lets everyone in. CIDRs
        (<code>10.0.0.0/8</code>, <code>::1/128</code>), addresses and wildcards (<code>10.0.*.*</code>), one per line.
      </p>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <Field label="Allow" invalid={invalid('allow')}>
          <textarea className={`${INPUT} h-28 font-mono text-xs`} value={allow} onChange={(e) => setAllow(e.target.value)} placeholder="everyone" data-testid="ip-allow" />
        </Field>
        <Field label="Block" invalid={invalid('block')}>
          <textarea className={`${INPUT} h-28 font-mono text-xs`} value={deny} onChange={(e) => setDeny(e.target.value)} placeholder="no one" data-testid="ip-block" />
        </Field>
      </div>
      <Button variant="primary" onClick={() => save.mutate({ ip: { ...block, allow: rules(allow), block: rules(deny) } })} disabled={save.isPending} data-testid="ip-save">Save IP rules</Button>
      <ErrorNote error={save.error} />
      {proxy.caller_limit ? (
        <div className="border-t border-slate-100 pt-3 dark:border-slate-800">
          <BlockForm proxy={proxy} name="caller_limit" what="Caller limit"
            toggle="Limit each caller: requests per second per address, and per API key when one is sent (429 beyond)" />
        </div>
      ) : null}
    </div>
  );
}
