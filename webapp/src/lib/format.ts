// How numbers read on the dashboard. A missing value is an em dash, never a misleading zero.

const DASH = '—';
const missing = (v: unknown): v is null | undefined => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

export function ms(v: number | null | undefined): string {
  if (missing(v)) return DASH;
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  return `${Number(v.toFixed(1))} ms`;
}

export function percent(rate: number | null | undefined): string {
  if (missing(rate)) return DASH;
  const p = rate * 100;
  return `${p === 0 || p >= 10 ? Math.round(p) : Number(p.toFixed(1))}%`;
}

/**
 * Dollars for people: LLM calls cost fractions of a cent, so small amounts keep three
 * significant digits in plain decimals ($0.0000162), never exponent notation ($1.62e-5); below a
 * millionth of a cent it says so rather than printing a row of zeros.
 */
export function usd(v: number | null | undefined): string {
  if (missing(v)) return DASH;
  if (v === 0) return '$0';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a >= 1) return `${sign}$${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (a < 1e-8) return `${sign}<$0.00000001`;
  const digits = Math.min(20, Math.max(2, 2 - Math.floor(Math.log10(a))));
  return `${sign}$${trimZeros(a.toFixed(digits))}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export function count(v: number | null | undefined): string {
  if (missing(v)) return DASH;
  if (v >= 1e6) return `${Number((v / 1e6).toFixed(1))}M`;
  if (v >= 1e4) return `${Number((v / 1e3).toFixed(1))}k`;
  return String(Math.round(v * 100) / 100);
}

export function bytes(v: number | null | undefined): string {
  if (missing(v)) return DASH;
  if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)} MiB`;
  if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(1)} KiB`;
  return `${v} B`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A time of day for the traffic tail: hh:mm:ss.mmm in the viewer's zone. */
export function clock(iso: string | number | null | undefined): string {
  if (missing(iso)) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return DASH;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** hh:mm:ss, for chart marks. */
export function hms(v: number): string {
  const d = new Date(v);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A date and time in the viewer's zone, from epoch milliseconds or an ISO string. */
export function dateTime(v: string | number | null | undefined): string {
  if (missing(v) || v === '') return DASH;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return DASH;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** How long ago, roughly: "12 s", "5 min", "3 h", "2 d". */
export function age(v: string | number | null | undefined, now = Date.now()): string {
  if (missing(v)) return DASH;
  const t = new Date(v).getTime();
  if (Number.isNaN(t)) return DASH;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/** Seconds for people: "2 s", "1.5 s", "90 s". */
export function seconds(v: number): string {
  return `${Number(v.toFixed(2))} s`;
}
