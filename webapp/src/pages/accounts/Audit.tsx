import type { Me } from '../../lib/types.ts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { auditApi } from '../../lib/api.ts';
import { FIRST_PAGE, auditQuery, detailText, hasOlder, newerPage, olderPage } from '../../lib/audit.ts';
import { dateTime } from '../../lib/format.ts';

import { Button, Card, ErrorNote } from '../../components/ui.tsx';

const LIMIT = 100;

/** Who did what and when, newest first; an admin sees everyone's, a user their own. */
export function Audit({ me }: { me: Me }) {
  const [page, setPage] = useState(FIRST_PAGE);
  const query = auditQuery(page, LIMIT);
  const audit = useQuery({ queryKey: ['audit', query], queryFn: () => auditApi.page(query) });
  const entries = (audit.data && Array.isArray(audit.data.entries)) ? audit.data.entries : [];

  const actions = (
    <>
      <Button onClick={() => setPage(newerPage(page))} disabled={page.newer.length === 0} data-testid="audit-newer">Newer</Button>
      <Button onClick={() => setPage(olderPage(page, entries, LIMIT))} disabled={!hasOlder(entries, LIMIT)} data-testid="audit-older">Older</Button>
      <Button onClick={() => audit.refetch()}>Refresh</Button>
    </>
  );
  return (
    <Card title={me.role === 'admin' ? 'Audit trail' : 'Your audit trail'} actions={actions} testId="audit">
      <ErrorNote error={audit.error} />
      {audit.isPending ? <p className="text-sm text-slate-500">Loading…</p>
        : entries.length === 0 ? <p className="text-sm text-slate-500">Nothing recorded{page.before !== null ? ' before this' : ' yet'}.</p> : (
          <div className="-mx-4 overflow-x-auto">
            <table className="w-full min-w-[720px] text-left text-xs" data-testid="audit-table">
              <thead className="text-[11px] uppercase tracking-wide text-slate-500">
                <tr className="border-b border-slate-100">
                  <th className="px-4 py-2 font-medium">Time</th>
                  <th className="px-2 py-2 font-medium">Who</th>
                  <th className="px-2 py-2 font-medium">Action</th>
                  <th className="px-2 py-2 font-medium">Target</th>
                  <th className="px-4 py-2 font-medium">Detail</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id} className="border-b border-slate-100 last:border-0" data-testid="audit-row">
                    <td className="whitespace-nowrap px-4 py-1.5 text-slate-600">{dateTime(e.ts)}</td>
                    <td className="px-2 py-1.5">{e.actor_email || e.actor_id || '—'}</td>
                    <td className="px-2 py-1.5 font-mono">{e.action}</td>
                    <td className="px-2 py-1.5 font-mono text-slate-700">{[e.target_type, e.target_id].filter(Boolean).join(' ')}</td>
                    <td className="max-w-[28rem] truncate px-4 py-1.5 font-mono text-slate-600" title={detailText(e.detail)}>{detailText(e.detail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Card>
  );
}
