import { endpointMissing } from '../lib/api.ts';
import { dateTime } from '../lib/format.ts';
import type { ClusterNode } from '../lib/types.ts';
import { useCluster } from '../queries.ts';
import { Card, ErrorNote, Unavailable } from '../components/ui.tsx';

const HEALTH: Record<ClusterNode['health'], string> = {
  ok: 'bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-900',
  degraded: 'bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-900',
  unreachable: 'bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-950 dark:text-rose-200 dark:ring-rose-900',
};

/** Uptime for people: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function uptime(seconds: number | null | undefined): string {
  if (seconds == null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The nodes of this Faultline's cluster (GET /api/cluster): address, version, uptime, health. */
export function Cluster() {
  const cluster = useCluster();
  const data = cluster.data;
  if (cluster.error && endpointMissing(cluster.error)) {
    return <Unavailable what="The cluster view" endpoint="GET /api/cluster" />;
  }
  return (
    <div className="space-y-4" data-testid="cluster-page">
      <h1 className="text-lg font-semibold">Cluster</h1>
      <ErrorNote error={cluster.error} />
      {!data ? <p className="muted text-sm">{cluster.isPending ? 'Loading…' : ''}</p> : (
        <>
          <p className="muted text-xs" data-testid="cluster-summary">
            {data.clustered
              ? `${data.nodes.length} node${data.nodes.length === 1 ? '' : 's'} in the cluster; this page is served by the first.`
              : 'A single node: cluster mode is off (see the README, "Running a cluster").'}
          </p>
          <Card title={`Nodes (${data.nodes.length})`}>
            <div className="-mx-4 overflow-x-auto">
              <table className="w-full min-w-[640px] text-sm" data-testid="cluster-table">
                <thead><tr><th className="th pl-4">Node</th><th className="th">Admin address</th><th className="th">Version</th><th className="th">Up</th><th className="th pr-4">Health</th></tr></thead>
                <tbody>
                  {data.nodes.map((node) => (
                    <tr key={node.id} className="row" data-testid={`cluster-node-${node.id}`}>
                      <td className="td pl-4 font-mono text-xs">{node.id}{node.id === data.node_id ? <span className="muted ml-1 font-sans">(this one)</span> : null}</td>
                      <td className="td font-mono text-xs">{node.address || '—'}</td>
                      <td className="td tabular-nums">{node.version || '—'}</td>
                      <td className="td tabular-nums" title={node.started_at ? `started ${dateTime(node.started_at)}` : undefined}>{uptime(node.uptime_seconds)}</td>
                      <td className="td pr-4">
                        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${HEALTH[node.health] || HEALTH.unreachable}`}>{node.health}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      )}
    </div>
  );
}
