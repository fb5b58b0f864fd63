// Charts. Time series are drawn by uPlot: a canvas chart of ~50 KB that draws thousands of points
// per series in a few milliseconds, so a 24 h window at 1-minute steps for several lines stays
// smooth while it refreshes every few seconds. Sparklines are a plain SVG path: dozens of them on
// one page cost nothing and need no canvas.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { Annotation, FaultWindow } from '../lib/types.ts';
import { hms, usd } from '../lib/format.ts';
import { strategyLabel } from '../lib/faults.ts';

export function Sparkline({ values, label, className = 'h-6 w-full text-indigo-500' }: { values: Array<number | null>; label: string; className?: string }) {
  const nums = values.map((v) => (v === null || v === undefined || !Number.isFinite(v) ? null : v));
  const present = nums.filter((v): v is number => v !== null);
  if (present.length < 2) return <svg role="img" aria-label={`${label}: no data yet`} className={className} />;
  const max = Math.max(...present);
  const min = Math.min(0, ...present);
  const span = max - min || 1;
  let d = '';
  let pen = false;
  nums.forEach((v, i) => {
    if (v === null) { pen = false; return; }
    const x = (i / (nums.length - 1)) * 100;
    const y = 28 - ((v - min) / span) * 26;
    d += `${pen ? 'L' : 'M'}${x.toFixed(2)},${y.toFixed(2)}`;
    pen = true;
  });
  return (
    <svg role="img" aria-label={`${label}: trend`} viewBox="0 0 100 30" preserveAspectRatio="none" className={className}>
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

export interface Line { label: string; color: string; scale?: string; fill?: boolean }

const canDraw = () => {
  try {
    return typeof window.matchMedia === 'function' && !!document.createElement('canvas').getContext('2d');
  } catch {
    return false;
  }
};

/**
 * One uPlot chart over time. `windows` shade the spans when faults were on; `marks` draw a
 * dashed line where something changed (faults set, a proxy started or stopped). Both are also
 * listed under the chart in words, for screen readers and for exact times.
 */
export function TimeChart({ title, data, lines, windows = [], marks = [], height = 220, testId, yLabel }: {
  title: string; data: Array<Array<number | null>>; lines: Line[]; windows?: FaultWindow[]; marks?: Annotation[];
  height?: number; testId?: string; yLabel?: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const overlays = useRef({ windows, marks });
  overlays.current = { windows, marks };
  const shape = lines.map((l) => `${l.label}:${l.scale || 'y'}`).join('|');

  useEffect(() => {
    const el = holder.current;
    if (!el || !canDraw()) return undefined;
    const dark = document.documentElement.classList.contains('dark');
    const axis = { stroke: dark ? '#cbd5e1' : '#475569', grid: { stroke: dark ? '#334155' : '#e2e8f0', width: 1 }, ticks: { stroke: dark ? '#334155' : '#e2e8f0' } };
    const scales = [...new Set(lines.map((l) => l.scale || 'y'))];
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.5, scale: l.scale || 'y', fill: l.fill ? `${l.color}22` : undefined, spanGaps: false }))],
      axes: [axis, ...scales.map((s, i) => ({
        ...axis, scale: s, side: i === 0 ? 3 : 1, label: i === 0 ? yLabel : s === 'usd' ? 'USD' : s, size: s === 'usd' ? 80 : 50,
        // Dollars as people read them (never 4e-8), on the cost axis.
        values: s === 'usd' ? (_u: uPlot, ticks: number[]) => ticks.map((t) => usd(t)) : undefined,
      }))],
      scales: { x: { time: true } },
      cursor: { drag: { x: true, y: false } },
      plugins: [faultPlugin(overlays)],
    };
    const u = new uPlot(opts, data as uPlot.AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the lines change; new data is set below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    if (plot.current) plot.current.setData(data as uPlot.AlignedData);
  }, [data, windows, marks]);

  return (
    <figure className="min-w-0" data-testid={testId}>
      <figcaption className="mb-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs font-medium text-slate-700 dark:text-slate-200">
        <span>{title}</span>
        {lines.map((l) => (
          <span key={l.label} className="muted inline-flex items-center gap-1 font-normal">
            <span aria-hidden className="inline-block h-0.5 w-3" ref={(s) => { if (s) s.style.backgroundColor = l.color; }} />{l.label}
          </span>
        ))}
      </figcaption>
      <div ref={holder} className="w-full" role="img" aria-label={`${title} chart`} />
      <ChartNotes windows={windows} marks={marks} />
    </figure>
  );
}

function ChartNotes({ windows, marks }: { windows: FaultWindow[]; marks: Annotation[] }) {
  if (!windows.length && !marks.length) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-[11px]" data-testid="chart-notes" aria-label="Fault windows and changes">
      {windows.map((w) => (
        <li key={`w${w.proxy}${w.from}`} className="text-rose-700 dark:text-rose-300" data-testid="fault-window">
          <span aria-hidden className="mr-1 inline-block h-2 w-3 rounded-sm bg-rose-400/40" />
          faults {w.strategies.map(strategyLabel).join(', ')}: {hms(w.from)}–{w.to ? hms(w.to) : 'now'}
        </li>
      ))}
      {marks.map((m) => (
        <li key={`m${m.proxy}${m.t}${m.kind}`} className="muted" data-testid="annotation">
          <span aria-hidden className="mr-1 text-amber-600">┆</span>{hms(m.t)} {m.text}
        </li>
      ))}
    </ul>
  );
}

/** Shades fault windows under the lines, and marks changes with a dashed line and a tick. */
function faultPlugin(overlays: { current: { windows: FaultWindow[]; marks: Annotation[] } }): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [(u: uPlot) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.fillStyle = 'rgba(244, 63, 94, 0.12)';
        for (const w of overlays.current.windows) {
          const x0 = u.valToPos(w.from / 1000, 'x', true);
          const x1 = u.valToPos((w.to ?? Date.now()) / 1000, 'x', true);
          const left = Math.max(u.bbox.left, x0);
          const right = Math.min(u.bbox.left + u.bbox.width, x1);
          if (right > left) ctx.fillRect(left, top, right - left, height);
        }
        ctx.restore();
      }],
      draw: [(u: uPlot) => {
        const ctx = u.ctx;
        const { top, height, left, width } = u.bbox;
        ctx.save();
        ctx.strokeStyle = 'rgba(217, 119, 6, 0.9)';
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1;
        for (const m of overlays.current.marks) {
          const x = u.valToPos(m.t / 1000, 'x', true);
          if (x < left || x > left + width) continue;
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
        }
        ctx.restore();
      }],
    },
  };
}
