import { strategyLabel } from '../lib/faults.ts';
import { usePlugins } from '../queries.ts';
import { Card, ErrorNote } from '../components/ui.tsx';

/** Loaded plugins (providers, fault strategies) with versions, and the jars that failed, with why. */
export function Plugins() {
  const plugins = usePlugins();
  const data = plugins.data;
  return (
    <div className="space-y-4" data-testid="plugins-page">
      <h1 className="text-lg font-semibold">Plugins</h1>
      <ErrorNote error={plugins.error} />
      {!data ? <p className="muted text-sm">{plugins.isPending ? 'Loading…' : ''}</p> : (
        <>
          <p className="muted text-xs">Plugin API {data.plugin_api_version || '—'}{data.folder ? <> · folder <code>{data.folder}</code> (drop a jar there to add one)</> : null}</p>
          <Card title={`Loaded (${data.plugins.length})`}>
            <div className="-mx-4 overflow-x-auto">
              <table className="w-full min-w-[640px] text-sm" data-testid="plugin-table">
                <thead><tr><th className="th pl-4">Plugin</th><th className="th">Version</th><th className="th">Brings</th><th className="th pr-4">Requires</th></tr></thead>
                <tbody>
                  {data.plugins.map((p) => (
                    <tr key={p.id} className="row align-top" data-testid={`plugin-${p.id}`}>
                      <td className="td pl-4"><div className="font-medium">{p.id}</div><div className="muted text-xs">{p.description}</div></td>
                      <td className="td tabular-nums">{p.version}</td>
                      <td className="td text-xs">
                        <ul className="flex flex-wrap gap-1">
                          {(p.extensions || []).map((x) => {
                            const [kind, id] = x.split(':');
                            return <li key={x} className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">{kind === 'fault' ? `fault: ${strategyLabel(id)}` : x}</li>;
                          })}
                        </ul>
                      </td>
                      <td className="td pr-4 font-mono text-xs">{p.requires || '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
          <Card title={`Failed (${(data.failed || []).length})`} testId="plugins-failed">
            {(data.failed || []).length === 0 ? <p className="muted text-sm">Every jar loaded.</p> : (
              <ul className="space-y-1 text-sm">
                {(data.failed || []).map((f, i) => <li key={i}><code>{f.file || f.id}</code>: <span className="text-rose-700 dark:text-rose-300">{f.reason || f.error}</span></li>)}
              </ul>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
