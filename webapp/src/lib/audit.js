// Paging through GET /api/audit, newest first: "older" asks for the entries before the last one
// shown; "newer" goes back to the page seen before, so the cursors visited are kept as a stack.

export const FIRST_PAGE = Object.freeze({ before: null, newer: [] });

/** The query string for a page. */
export function auditQuery(page, limit) {
  return `limit=${limit}${page.before !== null ? `&before=${encodeURIComponent(page.before)}` : ''}`;
}

/** The page after `entries` (older ones), or the same page when there is nothing older. */
export function olderPage(page, entries, limit) {
  if (!hasOlder(entries, limit)) return page;
  return { before: entries[entries.length - 1].id, newer: [...page.newer, page.before] };
}

/** The page seen before this one (newer entries), or the same page at the newest. */
export function newerPage(page) {
  if (page.newer.length === 0) return page;
  return { before: page.newer[page.newer.length - 1], newer: page.newer.slice(0, -1) };
}

/** A full page may have more behind it; a short one is the oldest. */
export function hasOlder(entries, limit) {
  return entries.length > 0 && entries.length >= limit;
}

/** An entry's detail as one line of text: a string as is, anything else as JSON. */
export function detailText(detail) {
  if (detail === null || detail === undefined || detail === '') return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}
