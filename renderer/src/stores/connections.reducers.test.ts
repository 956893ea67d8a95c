import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConnectionDetail, ConnectionRow } from '../../../shared/admin/admin-model.js';
import type { ConnectionsState } from './connections.reducers.js';
import {
  MAX_PAGES, PAGE_SIZE, closeDetail, detailFailed, emptyFilter, filterActive, forgetInflight, indexOf, initialConnections,
  markRequested, moveSelection, openDetail, pageFailed, pagesCovering, pagesToFetch, queryParams, receiveDetail,
  receivePage, rowAt, select, selectedClient, setFilter, setWindow, toggleSort,
} from './connections.reducers.js';

const row = (i: number): ConnectionRow => ({
  client: `c${String(i).padStart(5, '0')}`, user: `u${i % 7}`, node: `node-${(i % 3) + 1}`, remote: `127.0.0.1:${10000 + i}`,
  connectedAt: 1_700_000_000_000 + i, subscriptions: 1, name: 'js', version: '5.8.0',
});
const rows = (from: number, count: number): ConnectionRow[] => Array.from({ length: count }, (_, k) => row(from + k));
const page = (offset: number, total: number) => ({ total, offset, items: rows(offset, Math.max(0, Math.min(PAGE_SIZE, total - offset))) });

/** A state with the given pages loaded for a table of `total` rows. */
function loaded(total: number, offsets: number[], at = 1000): ConnectionsState {
  let s = initialConnections();
  for (const o of offsets) s = receivePage(s, s.generation, page(o, total), at);
  return s;
}

describe('query changes', () => {
  test('filter changed → new generation, pages and pending requests dropped, not settled', () => {
    let s = loaded(1000, [0, 200]);
    s = markRequested(s, [400]);
    s = select(s, 3);
    const next = setFilter(s, { user: 'alice' });
    assert.equal(next.generation, s.generation + 1);
    assert.deepEqual(next.pages, {});
    assert.deepEqual(next.inflight, {});
    assert.equal(next.settled, false);
    assert.equal(next.selected, null);
    assert.equal(next.filter.user, 'alice');
    assert.equal(next.total, 1000, 'the old total stays until the new one arrives (no jump to empty)');
  });

  test('the same filter again changes nothing (same state object)', () => {
    const s = setFilter(initialConnections(), { text: 'x' });
    assert.equal(setFilter(s, { text: 'x' }), s);
  });

  test('sort: a new key ascending (time newest first), the same key flips; both start a new query', () => {
    let s = initialConnections();
    assert.deepEqual(s.sort, { by: 'connectedAt', dir: 'desc' });
    s = toggleSort(s, 'user');
    assert.deepEqual(s.sort, { by: 'user', dir: 'asc' });
    const g = s.generation;
    s = toggleSort(s, 'user');
    assert.deepEqual(s.sort, { by: 'user', dir: 'desc' });
    assert.equal(s.generation, g + 1);
    assert.deepEqual(toggleSort(s, 'connectedAt').sort, { by: 'connectedAt', dir: 'desc' });
  });

  test('query params leave empty filters out and trim the rest', () => {
    const s = setFilter(initialConnections(), { text: '  bob ', channel: 'chat:1', node: '' });
    assert.deepEqual(queryParams(s, 400), {
      filter: { text: 'bob', channel: 'chat:1' }, sort: { by: 'connectedAt', dir: 'desc' }, offset: 400, limit: PAGE_SIZE,
    });
  });

  test('filterActive ignores blanks', () => {
    assert.equal(filterActive(emptyFilter()), false);
    assert.equal(filterActive({ ...emptyFilter(), remote: '  ' }), false);
    assert.equal(filterActive({ ...emptyFilter(), remote: '10.' }), true);
  });
});

describe('pages', () => {
  test('page arrived → merged under its offset, total updated, no longer in flight', () => {
    let s = markRequested(initialConnections(), [0, 200]);
    s = receivePage(s, s.generation, page(200, 3000), 5);
    assert.equal(s.total, 3000);
    assert.equal(s.settled, true);
    assert.deepEqual(Object.keys(s.pages), ['200']);
    assert.deepEqual(Object.keys(s.inflight), ['0']);
    s = receivePage(s, s.generation, page(0, 3000), 6);
    assert.deepEqual(Object.keys(s.pages).map(Number).sort((a, b) => a - b), [0, 200]);
    assert.equal(rowAt(s, 0)?.client, 'c00000');
    assert.equal(rowAt(s, 250)?.client, 'c00250');
    assert.equal(rowAt(s, 450), undefined);
    assert.equal(indexOf(s, 'c00321'), 321);
    assert.equal(indexOf(s, 'nope'), -1);
  });

  test('stale response for an old query → ignored (the same state comes back)', () => {
    const before = initialConnections();
    const old = before.generation;
    const s = markRequested(setFilter(before, { channel: 'chat:room-1' }), [0]);
    assert.equal(receivePage(s, old, page(0, 3000), 1), s);
    assert.equal(pageFailed(s, old, 0, 'boom'), s);
    const fresh = receivePage(s, s.generation, page(0, 12), 2);
    assert.equal(fresh.total, 12);
    assert.deepEqual(fresh.inflight, {});
  });

  test('a refreshed page replaces the old one in place', () => {
    let s = loaded(500, [0]);
    const items = rows(1, PAGE_SIZE);
    s = receivePage(s, s.generation, { total: 499, offset: 0, items }, 9000);
    assert.equal(s.pages[0]!.items, items);
    assert.equal(s.pages[0]!.at, 9000);
    assert.equal(s.total, 499);
  });

  test('when the total shrinks, pages past the end are dropped and the selection clamps', () => {
    let s = loaded(1000, [0, 200, 400, 600, 800]);
    s = select(s, 900);
    s = receivePage(s, s.generation, page(0, 300), 2000);
    assert.deepEqual(Object.keys(s.pages).map(Number).sort((a, b) => a - b), [0, 200]);
    assert.deepEqual(s.selected, { index: 299, client: null });
    s = receivePage(s, s.generation, { total: 0, offset: 0, items: [] }, 3000);
    assert.equal(s.total, 0);
    assert.equal(s.selected, null);
    assert.deepEqual(s.pages[0]!.items, []);
  });

  test(`at most ${MAX_PAGES} pages are kept, the farthest from the newest answer dropped`, () => {
    const total = 100 * PAGE_SIZE;
    const offsets = Array.from({ length: MAX_PAGES + 5 }, (_, k) => k * PAGE_SIZE);
    const s = loaded(total, offsets);
    const kept = Object.keys(s.pages).map(Number).sort((a, b) => a - b);
    assert.equal(kept.length, MAX_PAGES);
    assert.equal(kept[kept.length - 1], offsets[offsets.length - 1]);
    assert.ok(!kept.includes(0), 'the page farthest away went');
  });

  test('pages covering a window are bounded by the settled total; page 0 always, to learn the total', () => {
    const s = loaded(450, [0]);
    assert.deepEqual(pagesCovering(s, 150, 260), [0, 200]);
    assert.deepEqual(pagesCovering(s, 380, 700), [200, 400]);
    assert.deepEqual(pagesCovering(loaded(0, [0]), 0, 40), [0]);
    assert.deepEqual(pagesCovering(initialConnections(), 0, 40), [0], 'unsettled: the window as asked');
  });

  test('pages to fetch: missing or stale ones, never one already in flight', () => {
    let s = loaded(3000, [0], 1000);
    s = setWindow(s, 150, 260);
    assert.deepEqual(pagesToFetch(s, 150, 260, 1500), [200], 'page 0 is fresh');
    assert.deepEqual(pagesToFetch(s, 150, 260, 4000), [0, 200], 'page 0 is stale after 2 s');
    s = markRequested(s, [200]);
    assert.deepEqual(pagesToFetch(s, 150, 260, 1500), []);
    assert.deepEqual(pagesToFetch(s, 150, 260, 1500, 0), [0], 'forced: every page in view not in flight');
    s = pageFailed(s, s.generation, 200, 'the console is not connected');
    assert.equal(s.error, 'the console is not connected');
    assert.deepEqual(pagesToFetch(s, 150, 260, 1500), [200]);
    s = markRequested(s, [200]);
    assert.deepEqual(forgetInflight(s).inflight, {});
    const idle = forgetInflight(loaded(10, [0]));
    assert.equal(forgetInflight(idle), idle);
  });

  test('setWindow keeps the state when nothing moved', () => {
    const s = setWindow(initialConnections(), 10, 50);
    assert.equal(setWindow(s, 10, 50), s);
    assert.deepEqual(s.window, { first: 10, last: 50 });
  });
});

describe('selection', () => {
  test('↓ from nothing selects the first row, ↑ from nothing the last; clamped at both ends', () => {
    const s = loaded(450, [0, 200, 400]);
    assert.deepEqual(moveSelection(s, 1).selected, { index: 0, client: 'c00000' });
    assert.deepEqual(moveSelection(s, -1).selected, { index: 449, client: 'c00449' });
    assert.equal(moveSelection(moveSelection(s, -1), 1).selected?.index, 449);
    assert.equal(moveSelection(moveSelection(s, 1), -1).selected?.index, 0);
  });

  test('the selection follows its client when a refresh moved it', () => {
    let s = loaded(300, [0, 200]);
    s = select(s, 10);
    assert.equal(selectedClient(s), 'c00010');
    // two rows joined above: c00010 is now at index 12
    s = receivePage(s, s.generation, { total: 302, offset: 0, items: [row(9990), row(9991), ...rows(0, PAGE_SIZE - 2)] }, 5000);
    s = moveSelection(s, 1);
    assert.deepEqual(s.selected, { index: 13, client: 'c00011' });
  });

  test('a row whose page is not loaded is selected by index, and named once loaded', () => {
    let s = loaded(1000, [0]);
    s = select(s, 199);
    s = moveSelection(s, 1);
    assert.deepEqual(s.selected, { index: 200, client: null });
    assert.equal(selectedClient(s), null);
    s = receivePage(s, s.generation, page(200, 1000), 2);
    assert.equal(selectedClient(s), 'c00200');
  });

  test('moving in an empty table changes nothing', () => {
    const s = loaded(0, [0]);
    assert.equal(moveSelection(s, 1), s);
  });
});

describe('detail drawer', () => {
  const detail = (client: string): ConnectionDetail => ({
    ...row(1), client, subscriptionList: [], bytesIn: 1, bytesOut: 2, messagesIn: 3, messagesOut: 4, recoveries: [],
  });

  test('open, detail arrives, close', () => {
    let s = openDetail(initialConnections(), 'c1');
    assert.equal(s.open, 'c1');
    assert.equal(s.detail, null);
    s = receiveDetail(s, detail('c1'));
    assert.equal(s.detail?.client, 'c1');
    assert.equal(openDetail(s, 'c1'), s, 'opening the open one again keeps its detail');
    s = closeDetail(s);
    assert.equal(s.open, null);
    assert.equal(s.detail, null);
    assert.equal(closeDetail(s), s);
  });

  test('a detail or error for a drawer no longer open is ignored', () => {
    const s = openDetail(initialConnections(), 'c2');
    assert.equal(receiveDetail(s, detail('c1')), s);
    assert.equal(detailFailed(s, 'c1', 'gone', true), s);
  });

  test('the connection went away: the error shows, the last known detail stays', () => {
    let s = receiveDetail(openDetail(initialConnections(), 'c1'), detail('c1'));
    s = detailFailed(s, 'c1', 'no connection c1 (it may have disconnected)', true);
    assert.equal(s.detailError, 'no connection c1 (it may have disconnected)');
    assert.equal(s.detailGone, true);
    assert.equal(s.detail?.client, 'c1');
    s = receiveDetail(s, detail('c1'));
    assert.equal(s.detailError, null);
    assert.equal(s.detailGone, false);
    assert.equal(closeDetail(detailFailed(s, 'c1', 'timeout', false)).detailError, null);
  });
});

describe('supervisors that did not answer', () => {
  test('a page names them until a page that every supervisor answered', () => {
    let s = initialConnections();
    s = receivePage(s, s.generation, { ...page(0, 10), unanswered: ['sb-a', 'sb-c'] }, 1000);
    assert.deepEqual(s.unanswered, ['sb-a', 'sb-c']);
    const same = receivePage(s, s.generation, { ...page(0, 10), unanswered: ['sb-a', 'sb-c'] }, 3000);
    assert.equal(same.unanswered, s.unanswered, 'the same names keep the same array (no needless render)');
    s = receivePage(s, s.generation, page(0, 12), 5000);
    assert.deepEqual(s.unanswered, []);
  });

  test('an answer of an older query does not change them', () => {
    const s = setFilter(initialConnections(), { user: 'ann' });
    assert.deepEqual(receivePage(s, s.generation - 1, { ...page(0, 10), unanswered: ['sb-a'] }, 1000).unanswered, []);
  });
});
