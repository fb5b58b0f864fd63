import type { AuditEntry } from './types.ts';

export interface AuditCursor { before: number | string | null; newer: Array<number | string | null> }

// Paging through GET /api/audit, newest first: "older" asks for the entries before the last one
// shown; "newer" goes back to the page seen before, so the cursors visited are kept as a stack.

export const FIRST_PAGE: AuditCursor = Object.freeze({ before: null, newer: [] as Array<number | string | null> });

/** The query string for a page. */
export function auditQuery(page: AuditCursor, limit: number): string {
  return `limit=${limit}${page.before !== null ? `&before=${encodeURIComponent(page.before)}` : ''}`;
}

/** The page after `entries` (older ones), or the same page when there is nothing older. */
export function olderPage(page: AuditCursor, entries: AuditEntry[], limit: number): AuditCursor {
  if (!hasOlder(entries, limit)) return page;
  return { before: entries[entries.length - 1].id, newer: [...page.newer, page.before] };
}

/** The page seen before this one (newer entries), or the same page at the newest. */
export function newerPage(page: AuditCursor): AuditCursor {
  if (page.newer.length === 0) return page;
  return { before: page.newer[page.newer.length - 1], newer: page.newer.slice(0, -1) };
}

/** A full page may have more behind it; a short one is the oldest. */
export function hasOlder(entries: AuditEntry[], limit: number): boolean {
  return entries.length > 0 && entries.length >= limit;
}

/** An entry's detail as one line of text: a string as is, anything else as JSON. */
export function detailText(detail: unknown): string {
  if (detail === null || detail === undefined || detail === '') return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}
