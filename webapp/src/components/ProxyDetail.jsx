import { CachePanel } from './CachePanel.jsx';
import { FaultsPanel } from './FaultsPanel.jsx';
import { IpRulesPanel } from './IpRulesPanel.jsx';
import { MetricsCards } from './MetricsCards.jsx';
import { SettingsPanel } from './SettingsPanel.jsx';
import { Button, Card, StatusBadge, Tabs } from './ui.jsx';

const TABS = ['Faults', 'Cache', 'IP rules', 'Settings'];
const slug = (tab) => tab.toLowerCase().replace(/\s+/g, '-');

/** One proxy: how to call it, its metrics, and its faults, cache, IP rules and settings. */
export function ProxyDetail({ proxy, strategies, tab: tabSlug, onTab, onChanged, onClose }) {
  const tab = TABS.find((t) => slug(t) === tabSlug) || TABS[0];
  const panel = {
    Faults: <FaultsPanel proxy={proxy} strategies={strategies} onChanged={onChanged} />,
    Cache: <CachePanel proxy={proxy} onChanged={onChanged} />,
    'IP rules': <IpRulesPanel proxy={proxy} onChanged={onChanged} />,
    Settings: <SettingsPanel proxy={proxy} onChanged={onChanged} />,
  }[tab];

  return (
    <div className="space-y-4" data-testid="proxy-detail">
      <Card
        title={<span className="inline-flex items-center gap-2">{proxy.name} <StatusBadge status={proxy.status} /></span>}
        actions={<Button onClick={onClose}>Close</Button>}
      >
        <TryIt proxy={proxy} />
        <div className="mt-4">
          <Tabs tabs={TABS} active={tab} onChange={(t) => onTab(slug(t))} />
          <div className="pt-4">{panel}</div>
        </div>
      </Card>
      <MetricsCards proxyId={proxy.id} title={`Metrics · ${proxy.name}`} />
    </div>
  );
}

function TryIt({ proxy }) {
  const key = proxy.provider === 'openai' ? '$OPENAI_API_KEY' : 'sk-test';
  const curl = `curl -s ${proxy.url}/chat/completions -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'`;
  return (
    <div className="space-y-1 text-xs text-slate-600">
      <p>
        Point any OpenAI SDK at <code className="rounded bg-slate-100 px-1 py-0.5 text-slate-800">{proxy.url}</code>
        {proxy.error ? <span className="ml-2 text-rose-700">{proxy.error}</span> : null}
      </p>
      <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-[11px] text-slate-100">{curl}</pre>
    </div>
  );
}
