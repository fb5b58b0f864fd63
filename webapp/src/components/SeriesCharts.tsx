import { useMemo } from 'react';
import type { Series } from '../lib/types.ts';
import { errorColumns, latencyColumns, tokenCostColumns, trafficColumns } from '../lib/series.ts';
import { TimeChart, type Line } from './charts.tsx';

const CLASS_COLORS: Record<string, string> = { '2xx': '#10b981', '3xx': '#0ea5e9', '4xx': '#f59e0b', '5xx': '#f43f5e' };
const STATUS_COLORS = ['#f59e0b', '#f43f5e', '#a855f7', '#0ea5e9', '#ef4444', '#84cc16'];

/** The charts of one series answer; fault windows and changes marked on every one. */
export function SeriesCharts({ series, only }: { series: Series; only?: 'traffic' }) {
  const traffic = useMemo(() => trafficColumns(series), [series]);
  const errors = useMemo(() => errorColumns(series), [series]);
  const latency = useMemo(() => latencyColumns(series), [series]);
  const tokens = useMemo(() => tokenCostColumns(series), [series]);
  const marks = { windows: series.fault_windows || [], marks: series.annotations || [] };
  const trafficLines: Line[] = [
    { label: 'requests/s', color: '#6366f1', fill: true },
    ...traffic.classes.map((c) => ({ label: `${c}/s`, color: CLASS_COLORS[c] || '#64748b' })),
  ];
  const chart = <TimeChart title="Requests/s and responses by status class" data={traffic.data} lines={trafficLines} {...marks} testId="chart-traffic" yLabel="req/s" />;
  if (only === 'traffic') return chart;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {chart}
      <TimeChart title="Errors by status (per step)" data={errors.data} testId="chart-errors" {...marks}
        lines={errors.statuses.map((s, i) => ({ label: s, color: STATUS_COLORS[i % STATUS_COLORS.length] }))} />
      <TimeChart title="Latency p50 / p95 / p99 (ms)" data={latency} testId="chart-latency" {...marks} yLabel="ms"
        lines={[{ label: 'p50', color: '#10b981' }, { label: 'p95', color: '#f59e0b' }, { label: 'p99', color: '#f43f5e' }]} />
      <TimeChart title="Tokens and cost (per step)" data={tokens} testId="chart-tokens" {...marks}
        lines={[{ label: 'tokens', color: '#6366f1' }, { label: 'cost USD', color: '#0ea5e9', scale: 'usd' }]} />
    </div>
  );
}
