import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_PAGE, auditQuery, detailText, hasOlder, newerPage, olderPage } from './audit.js';

const entries = (...ids) => ids.map((id) => ({ id }));

test('older pages ask for entries before the last one shown; newer goes back the same way', () => {
  assert.equal(auditQuery(FIRST_PAGE, 3), 'limit=3');
  const second = olderPage(FIRST_PAGE, entries(9, 8, 7), 3);
  assert.equal(auditQuery(second, 3), 'limit=3&before=7');
  const third = olderPage(second, entries(6, 5, 4), 3);
  assert.equal(auditQuery(third, 3), 'limit=3&before=4');
  assert.deepEqual(newerPage(third), second);
  assert.deepEqual(newerPage(newerPage(third)), FIRST_PAGE);
  assert.equal(newerPage(FIRST_PAGE), FIRST_PAGE, 'nothing is newer than the newest page');
});

test('a short page is the oldest: there is no older one to ask for', () => {
  assert.equal(hasOlder(entries(3, 2, 1), 3), true);
  assert.equal(hasOlder(entries(2, 1), 3), false);
  assert.equal(hasOlder([], 3), false);
  const last = { before: 4, newer: [null] };
  assert.equal(olderPage(last, entries(3, 2), 3), last);
});

test('details read as one line whatever their type', () => {
  assert.equal(detailText('faults changed'), 'faults changed');
  assert.equal(detailText({ name: 'ci', read_only: true }), '{"name":"ci","read_only":true}');
  assert.equal(detailText(null), '');
  assert.equal(detailText(undefined), '');
});
