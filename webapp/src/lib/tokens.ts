// API tokens as the tokens page makes and lists them.

/** Expiry choices offered when creating a token; null days: it does not expire. */
export const EXPIRY_CHOICES: Array<{ label: string; days: number | null }> = [
  { label: 'Never', days: null },
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
];

/** The POST /api/tokens body for the form: expires_in_days only when an expiry was chosen. */
export function tokenRequest({ name, readOnly, days }: { name: string; readOnly: boolean; days: string | number | null }) {
  const body: { name: string; read_only: boolean; expires_in_days?: number } = { name: name.trim(), read_only: !!readOnly };
  const n = days === null || days === undefined || days === '' ? null : Number(days);
  if (n !== null) body.expires_in_days = n;
  return body;
}

/** Whether a listed token has passed its expiry (epoch ms or ISO; none: never). */
export function expired(token: { expires_at?: string | number | null }, now = Date.now()): boolean {
  if (token.expires_at === null || token.expires_at === undefined) return false;
  const at = new Date(token.expires_at).getTime();
  return !Number.isNaN(at) && at <= now;
}
