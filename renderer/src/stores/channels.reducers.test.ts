import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelActivity, ChannelDetail, ChannelRow, PresenceMember } from '../../../shared/admin/admin-model.js';
import type { Publication } from '../../../shared/protocol/client-protocol.js';
import {
  HISTORY_KEPT, HISTORY_PAGE, LIST_PAGE, NO_NAMESPACE, TYPING_MS, beginSnapshot, changeQuery, detailFailed, initialList,
  newActivity, oldestOffset, openDetail, queryParams, receiveActivity, receiveDetail, receiveList, receiveOlder, sortBy, typingAt,
} from './channels.reducers.js';
import type { DetailState } from './channels.reducers.js';

const row = (channel: string, subscribers = 1): ChannelRow => ({ channel, namespace: 'chat', subscribers, nodes: 1, publicationsPerSec: 0 });
const member = (user: string, client: string, node = 'node-1'): PresenceMember => ({ user, client, node });
const join = (user: string, client: string, at = 1): ChannelActivity => ({ kind: 'join', info: { user, client }, at });
const leave = (user: string, client: string, at = 1): ChannelActivity => ({ kind: 'leave', info: { user, client }, at });
const pub = (user: string, data: unknown = { typing: true }, offset?: number): ChannelActivity =>
  ({ kind: 'pub', data: data as never, info: { user, client: `c-${user}` }, at: 1, ...(offset !== undefined ? { offset } : {}) });
const pubs = (from: number, to: number): Publication[] => {
  const out: Publication[] = [];
  for (let o = from; o >= to; o--) out.push({ data: { n: o }, offset: o });
  return out;
};

function detail(over: Partial<ChannelDetail> = {}): ChannelDetail {
  return {
    channel: 'chat:lobby', namespace: 'chat', subscribers: 2, nodes: 1, publicationsPerSec: 0, presenceEnabled: true,
    historyEnabled: true, typing: false, presence: [], history: null, ...over,
  };
}

const users = (d: DetailState): string[] => d.members.map((m) => `${m.user}/${m.client}`);

describe('channel list query', () => {
  it('leaves empty filters out and maps the namespace choice', () => {
    const q = initialList().query;
    assert.deepEqual(queryParams(q), { filter: {}, sort: { by: 'subscribers', dir: 'desc' }, offset: 0, limit: LIST_PAGE });
    assert.deepEqual(queryParams({ ...q, text: ' lob ' }).filter, { text: 'lob' });
    assert.deepEqual(queryParams({ ...q, text: 'chat:', prefix: true }).filter, { prefix: 'chat:' });
    assert.deepEqual(queryParams({ ...q, namespace: 'typing' }).filter, { namespace: 'typing' });
    assert.deepEqual(queryParams({ ...q, namespace: NO_NAMESPACE }).filter, { namespace: '' });
  });

  it('goes back to the first page when a filter or the sort changes, not when paging', () => {
    let s = changeQuery(initialList(), { offset: 200 });
    assert.equal(s.query.offset, 200);
    s = changeQuery(s, { text: 'x' });
    assert.equal(s.query.offset, 0);
  });

  it('flips the direction of the sorted column; a new column starts in its natural order', () => {
    let s = sortBy(initialList(), 'subscribers');
    assert.deepEqual([s.query.sortBy, s.query.sortDir], ['subscribers', 'asc']);
    s = sortBy(s, 'name');
    assert.deepEqual([s.query.sortBy, s.query.sortDir], ['name', 'asc']);
    s = sortBy(s, 'rate');
    assert.deepEqual([s.query.sortBy, s.query.sortDir], ['rate', 'desc']);
  });

  it('drops a page answered for a query that has changed since', () => {
    const s = initialList();
    const asked = s.query;
    const changed = changeQuery(s, { text: 'new' });
    assert.equal(receiveList(changed, asked, { total: 1, items: [row('chat:a')] }), changed);
    const got = receiveList(s, asked, { total: 1, items: [row('chat:a')] });
    assert.deepEqual([got.loaded, got.total, got.rows.length], [true, 1, 1]);
  });

  it('keeps the supervisors that did not answer the latest query, and forgets them once all answer', () => {
    const s = initialList();
    const partial = receiveList(s, s.query, { total: 1, items: [row('chat:a')], unanswered: ['sb-a'] });
    assert.deepEqual(partial.unanswered, ['sb-a']);
    assert.deepEqual(receiveList(partial, s.query, { total: 2, items: [row('chat:a'), row('chat:b')] }).unanswered, []);
  });

  it('keeps the supervisors a channel\'s detail could not ask with that detail', () => {
    const d = receiveDetail(openDetail('chat:lobby'), { ...detail(), unanswered: ['sb-a'] }, false);
    assert.deepEqual(d.detail?.unanswered, ['sb-a']);
    assert.equal(receiveDetail(d, detail(), false).detail?.unanswered, undefined);
  });

  it('steps back to the last page when the one shown emptied', () => {
    const s = changeQuery(initialList(), { offset: 300 });
    const got = receiveList(s, s.query, { total: 150, items: [] });
    assert.equal(got.query.offset, 100);
  });
});

describe('presence of the open channel', () => {
  it('starts from the snapshot, sorted by user then client', () => {
    const d = receiveDetail(beginSnapshot(openDetail('chat:lobby')),
      detail({ presence: [member('bob', 'c2'), member('ann', 'c9'), member('ann', 'c1')] }), true);
    assert.deepEqual(users(d), ['ann/c1', 'ann/c9', 'bob/c2']);
    assert.equal(d.pendingSnapshots, 0);
  });

  it('follows joins and leaves as they come', () => {
    let d = receiveDetail(beginSnapshot(openDetail('chat:lobby')), detail({ presence: [member('ann', 'c1')] }), true);
    d = receiveActivity(d, [join('cid', 'c3')], 1000);
    assert.deepEqual(users(d), ['ann/c1', 'cid/c3']);
    assert.equal(d.members[1]!.joinedAt, 1000);
    assert.equal(d.members[1]!.node, '', 'a join names no node');
    d = receiveActivity(d, [leave('ann', 'c1')], 2000);
    assert.deepEqual(users(d), ['cid/c3']);
    assert.deepEqual(d.presenceLog.map((l) => `${l.kind} ${l.info.user}`), ['leave ann', 'join cid']);
  });

  it('replays joins and leaves seen while a snapshot was on its way', () => {
    let d = beginSnapshot(openDetail('chat:lobby'));
    d = receiveActivity(d, [join('cid', 'c3'), leave('ann', 'c1')], 1000);
    // The snapshot was taken before both: it still has ann and lacks cid.
    d = receiveDetail(d, detail({ presence: [member('ann', 'c1'), member('bob', 'c2')] }), true);
    assert.deepEqual(users(d), ['bob/c2', 'cid/c3']);
    assert.deepEqual(d.buffered, []);
  });

  it('keeps replaying until the last of overlapping snapshots answers', () => {
    let d = receiveDetail(beginSnapshot(openDetail('chat:lobby')), detail({ presence: [member('ann', 'c1')] }), true);
    d = beginSnapshot(d);
    d = receiveActivity(d, [leave('ann', 'c1')], 10);
    d = beginSnapshot(d);
    assert.equal(d.buffered.length, 1, 'a second snapshot does not forget what the first must replay');
    d = receiveDetail(d, detail({ presence: [member('ann', 'c1')] }), false);
    assert.deepEqual(users(d), []);
    assert.equal(d.pendingSnapshots, 1);
    d = receiveDetail(d, detail({ presence: [member('ann', 'c1')] }), false);
    assert.deepEqual(users(d), []);
    assert.equal(d.pendingSnapshots, 0);
    assert.deepEqual(d.buffered, []);
  });

  it('fills in the node of a live join from the next snapshot and keeps when it joined', () => {
    let d = receiveDetail(beginSnapshot(openDetail('chat:lobby')), detail(), true);
    d = receiveActivity(d, [join('cid', 'c3')], 500);
    d = receiveDetail(beginSnapshot(d), detail({ presence: [member('cid', 'c3', 'node-2')] }), false);
    assert.equal(d.members[0]!.node, 'node-2');
    assert.equal(d.members[0]!.joinedAt, 500);
  });

  it('ignores a detail of another channel and a failure of another channel', () => {
    const d = beginSnapshot(openDetail('chat:lobby'));
    assert.equal(receiveDetail(d, detail({ channel: 'chat:other' }), true), d);
    assert.equal(detailFailed(d, 'chat:other', 'no'), d);
    const failed = detailFailed(d, 'chat:lobby', 'boom');
    assert.equal(failed.error, 'boom');
    assert.equal(failed.pendingSnapshots, 0);
  });
});

describe('typing', () => {
  it('shows any publication as its user typing, for 3 s after the last one', () => {
    let d = openDetail('typing:room');
    d = receiveActivity(d, [pub('ann', true)], 1000);
    d = receiveActivity(d, [pub('bob', 'whatever shape')], 1500);
    assert.deepEqual(typingAt(d.typing, 2000).map((t) => t.who), ['ann', 'bob']);
    assert.deepEqual(typingAt(d.typing, 1000 + TYPING_MS).map((t) => t.who), ['bob']);
    d = receiveActivity(d, [pub('ann', { typing: false })], 3900);
    assert.deepEqual(typingAt(d.typing, 4200).map((t) => t.who), ['bob', 'ann']);
    assert.deepEqual(typingAt(d.typing, 3900 + TYPING_MS), []);
    assert.equal(d.pubCount, 3);
  });

  it('names anonymous publishers by client and skips publications without info', () => {
    let d = openDetail('typing:room');
    d = receiveActivity(d, [{ kind: 'pub', data: 1, info: { user: '', client: 'abc' }, at: 1 }, { kind: 'pub', data: 2, at: 1 }], 10);
    assert.deepEqual(d.typing.map((t) => t.who), ['abc']);
  });
});

describe('publications and history', () => {
  it('keeps a bounded live feed, newest first', () => {
    let d = openDetail('plain');
    for (let i = 0; i < 60; i++) d = receiveActivity(d, [pub('ann', { i })], i);
    assert.equal(d.feed.length, 50);
    assert.deepEqual(d.feed[0]!.data, { i: 59 });
  });

  it('loads history newest first, adds live publications on top, pages older ones', () => {
    let d = beginSnapshot(openDetail('chat:lobby'));
    d = receiveDetail(d, detail({ offset: 120, history: { publications: pubs(120, 71), epoch: 'e', offset: 120 } }), true);
    assert.equal(d.history.length, HISTORY_PAGE);
    assert.equal(d.historyHasMore, true);
    assert.equal(oldestOffset(d), 71);
    d = receiveActivity(d, [pub('ann', 'hi', 121)], 5);
    assert.deepEqual(d.history.slice(0, 2).map((h) => h.offset), [121, 120]);
    assert.equal(d.history[0]!.liveAt, 5);
    d = receiveOlder(d, 'chat:lobby', pubs(70, 21));
    assert.equal(oldestOffset(d), 21);
    assert.equal(d.historyHasMore, true);
    d = receiveOlder(d, 'chat:lobby', pubs(20, 1));
    assert.equal(d.historyHasMore, false);
    assert.equal(d.history.length, 121);
  });

  it('moves the stream position with live publications', () => {
    let d = receiveDetail(beginSnapshot(openDetail('chat:lobby')), detail({ offset: 10, history: { publications: pubs(10, 1), epoch: 'e', offset: 10 } }), true);
    d = receiveActivity(d, [pub('ann', 'x', 11), pub('ann', 'y', 12)], 5);
    assert.equal(d.detail!.offset, 12);
    d = receiveActivity(d, [pub('ann', 'typing')], 6);
    assert.equal(d.detail!.offset, 12);
  });

  it('keeps live publications newer than a reloaded history, without duplicates', () => {
    let d = receiveDetail(beginSnapshot(openDetail('chat:lobby')), detail({ history: { publications: pubs(10, 1), epoch: 'e', offset: 10 } }), true);
    d = receiveActivity(d, [pub('ann', 'x', 11), pub('ann', 'y', 12)], 5);
    d = receiveDetail(beginSnapshot(d), detail({ history: { publications: pubs(11, 1), epoch: 'e', offset: 11 } }), true);
    assert.deepEqual(d.history.map((h) => h.offset), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('empties the history after it was removed', () => {
    let d = receiveDetail(beginSnapshot(openDetail('chat:lobby')), detail({ history: { publications: pubs(10, 1), epoch: 'e', offset: 10 } }), true);
    d = receiveDetail(beginSnapshot(d), detail({ history: { publications: [], epoch: 'e', offset: 10 } }), true);
    assert.deepEqual(d.history, []);
    assert.equal(d.historyHasMore, false);
  });

  it('bounds the history that grows live', () => {
    let d = receiveDetail(beginSnapshot(openDetail('chat:lobby')), detail({ history: { publications: pubs(10, 1), epoch: 'e', offset: 10 } }), true);
    const items: ChannelActivity[] = [];
    for (let o = 11; o <= HISTORY_KEPT + 20; o++) items.push(pub('ann', o, o));
    d = receiveActivity(d, items, 1);
    assert.equal(d.history.length, HISTORY_KEPT);
    assert.equal(d.history[0]!.offset, HISTORY_KEPT + 20);
    assert.equal(d.historyHasMore, true);
  });
});

describe('new activity between two states of the activity store', () => {
  it('is the tail after the last item seen, even when the bounded list dropped its head', () => {
    const a = join('a', '1');
    const b = join('b', '2');
    const c = join('c', '3');
    assert.deepEqual(newActivity(undefined, [a]), [a]);
    assert.deepEqual(newActivity([a], [a, b, c]), [b, c]);
    assert.deepEqual(newActivity([a, b], [b, c]), [c]);
    assert.deepEqual(newActivity([a], [b, c]), [b, c], 'the last one seen fell off: all are new');
    const same = [a];
    assert.deepEqual(newActivity(same, same), []);
    assert.deepEqual(newActivity([a], undefined), []);
  });
});
