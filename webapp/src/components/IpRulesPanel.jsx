import { useEffect, useState } from 'react';
import { proxiesApi } from '../lib/api.js';
import { useAction } from '../hooks.js';
import { BlockForm } from './BlockForm.jsx';
import { Button, ErrorNote, Field, INPUT, Unavailable } from './ui.jsx';

const lines = (list) => (Array.isArray(list) ? list.join('\n') : '');
const rules = (text) => text.split(/[\n,]/).map((r) => r.trim()).filter(Boolean);

/** The proxy's `ip` block: allow and block lists, one CIDR, address or wildcard per line. */
export function IpRulesPanel({ proxy, onChanged }) {
  const block = proxy.ip;
  const [allow, setAllow] = useState(lines(block && block.allow));
  const [deny, setDeny] = useState(lines(block && block.block));
  const save = useAction();
  const stored = JSON.stringify(block);
  useEffect(() => {
    setAllow(lines(block && block.allow));
    setDeny(lines(block && block.block));
    // Reset the text when the stored rules change (another tab, or after saving), not on each poll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [proxy.id, stored]);

  if (block === undefined) return <Unavailable what="IP filtering" endpoint="the proxy's ip settings" />;

  const submit = async () => {
    if (await save.run(() => proxiesApi.update(proxy.id, { ip: { ...block, allow: rules(allow), block: rules(deny) } }))) onChanged();
  };
  const invalid = (name) => !!(save.error && save.error.field && save.error.field.startsWith(`ip.${name}`));

  return (
    <div className="space-y-3" data-testid="ip-panel">
      <p className="text-xs text-slate-600">
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
      <Button variant="primary" onClick={submit} disabled={save.busy} data-testid="ip-save">Save IP rules</Button>
      <ErrorNote error={save.error} />
      {proxy.caller_limit ? (
        <div className="border-t border-slate-100 pt-3">
          <BlockForm proxy={proxy} name="caller_limit" onSaved={onChanged}
            toggle="Limit each caller: requests per second per address, and per API key when one is sent (429 beyond)" />
        </div>
      ) : null}
    </div>
  );
}
