// How numbers read on the dashboard. A missing value is an em dash, never a misleading zero.

const DASH = '—';
const missing = (v) => v === null || v === undefined || Number.isNaN(v);

export function ms(v) {
  if (missing(v)) return DASH;
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  return `${Number(v.toFixed(1))} ms`;
}

export function percent(rate) {
  if (missing(rate)) return DASH;
  const p = rate * 100;
  return `${p === 0 || p >= 10 ? Math.round(p) : Number(p.toFixed(1))}%`;
}

export function usd(v) {
  if (missing(v)) return DASH;
  if (v === 0) return '$0';
  // LLM calls cost fractions of a cent: below a dollar, three significant digits.
  return Math.abs(v) < 1 ? `$${Number(v.toPrecision(3))}` : `$${v.toFixed(2)}`;
}

export function count(v) {
  if (missing(v)) return DASH;
  if (v >= 1e6) return `${Number((v / 1e6).toFixed(1))}M`;
  if (v >= 1e4) return `${Number((v / 1e3).toFixed(1))}k`;
  return String(Math.round(v * 100) / 100);
}

export function bytes(v) {
  if (missing(v)) return DASH;
  if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)} MiB`;
  if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(1)} KiB`;
  return `${v} B`;
}

/** A time of day for the traffic tail: hh:mm:ss.mmm in the viewer's zone. */
export function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return DASH;
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A date and time in the viewer's zone, from epoch milliseconds or an ISO string. */
export function dateTime(v) {
  if (missing(v) || v === '') return DASH;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return DASH;
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
