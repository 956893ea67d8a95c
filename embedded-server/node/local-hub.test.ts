import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WebSocket } from 'ws';
import { LocalHub } from './local-hub.js';
import type { HubSink } from './local-hub.js';
import { Session, Sub } from './session.js';
import type { Delivery } from '../../shared/ipc/node-ipc.js';
import { encodePublication, encodePush } from '../../shared/protocol/client.codec.js';

const CH = 'chat:room';

/** Records what the hub writes and which subscribers it reports lost. */
class RecordingSink implements HubSink {
  readonly writes: { session: Session; frame: string }[] = [];
  readonly losses: { channel: string; clients: string[] }[] = [];

  write(session: Session, frame: string): void {
    this.writes.push({ session, frame });
  }

  lost(channel: string, sessions: Session[]): void {
    this.losses.push({ channel, clients: sessions.map((s) => s.id) });
  }

  framesOf(session: Session): string[] {
    return this.writes.filter((w) => w.session === session).map((w) => w.frame);
  }
}

/** The socket is never touched by the hub; Session itself only calls send and close. */
const idleSocket: Pick<WebSocket, 'send' | 'close'> = { send: () => undefined, close: () => undefined };

function session(id: string, flags: number, channel = CH): Session {
  const s = new Session(idleSocket as WebSocket, '127.0.0.1', 0);
  s.id = id;
  s.setSub(channel, flags);
  return s;
}

function pub(offset: number, epoch = 'epochAAA', channel = CH): Delivery {
  return { kind: 'pub', channel, frame: encodePublication(channel, { data: { n: offset }, offset }), offset, epoch };
}

function join(user: string, channel = CH): Delivery {
  return { kind: 'join', channel, frame: encodePush({ channel, join: { info: { user, client: `c-${user}` } } }) };
}

function leave(user: string, channel = CH): Delivery {
  return { kind: 'leave', channel, frame: encodePush({ channel, leave: { info: { user, client: `c-${user}` } } }) };
}

/** A hub whose sink unsubscribes the sessions it reports lost, as the node does. */
function unsubscribingHub(): { hub: LocalHub; sink: RecordingSink } {
  const sink = new RecordingSink();
  const hub: LocalHub = new LocalHub({
    write: (s, frame) => sink.write(s, frame),
    lost: (channel, sessions) => {
      sink.lost(channel, sessions);
      for (const s of sessions) hub.remove(channel, s);
    },
  });
  return { hub, sink };
}

/** A hub with these sessions already subscribed (activated without a position). */
function hubWith(...sessions: Session[]): { hub: LocalHub; sink: RecordingSink } {
  const sink = new RecordingSink();
  const hub = new LocalHub(sink);
  for (const s of sessions) {
    hub.begin(CH, s);
    hub.activate(CH, s);
  }
  return { hub, sink };
}

describe('local hub: subscription set-up', () => {
  it('buffers frames during set-up and delivers only those after the reply offset once active', () => {
    const s = session('s', Sub.positioned);
    const { hub, sink } = hubWith();
    hub.begin(CH, s);
    for (const offset of [4, 5, 6, 7]) hub.deliver(pub(offset));
    assert.deepEqual(sink.writes, [], 'nothing is written before the subscribe reply');
    hub.activate(CH, s, { offset: 5, epoch: 'epochAAA' });
    assert.deepEqual(sink.framesOf(s), [pub(6).frame, pub(7).frame]);
    assert.deepEqual(sink.losses, []);
  });

  it('reports a subscription lost when its buffered frames jump past the reply offset', () => {
    const s = session('s', Sub.positioned);
    const { hub, sink } = hubWith();
    hub.begin(CH, s);
    hub.deliver(pub(6));
    hub.deliver(pub(8));
    hub.activate(CH, s, { offset: 5, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['s'] }]);
    assert.deepEqual(sink.framesOf(s), [pub(6).frame], 'nothing after the hole is written');
  });

  it('writes a duplicated buffered frame once', () => {
    const s = session('s', Sub.positioned);
    const { hub, sink } = hubWith();
    hub.begin(CH, s);
    hub.deliver(pub(6));
    hub.deliver(pub(6));
    hub.deliver(pub(7));
    hub.activate(CH, s, { offset: 5, epoch: 'epochAAA' });
    assert.deepEqual(sink.framesOf(s), [pub(6).frame, pub(7).frame]);
  });

  it('delivers every buffered frame when the reply carries no position', () => {
    const s = session('s', 0);
    const { hub, sink } = hubWith();
    hub.begin(CH, s);
    hub.deliver(pub(1));
    hub.deliver({ kind: 'pub', channel: CH, frame: encodePublication(CH, { data: 'no history' }) });
    hub.activate(CH, s);
    assert.deepEqual(sink.framesOf(s), [pub(1).frame, encodePublication(CH, { data: 'no history' })]);
  });

  it('delivers live frames to a subscription once it is active', () => {
    const s = session('s', 0);
    const { hub, sink } = hubWith(s);
    hub.deliver(pub(1));
    hub.deliver(pub(2));
    assert.deepEqual(sink.framesOf(s), [pub(1).frame, pub(2).frame]);
  });

  it('ignores frames for channels without local subscribers', () => {
    const s = session('s', 0);
    const { hub, sink } = hubWith(s);
    hub.deliver(pub(1, 'epochAAA', 'other'));
    hub.deliver(join('ann', 'other'));
    assert.deepEqual(sink.writes, []);
  });

  it('does nothing when a subscription that was never begun is activated', () => {
    const s = session('s', 0);
    const { hub, sink } = hubWith();
    hub.activate(CH, s, { offset: 3, epoch: 'epochAAA' });
    hub.deliver(pub(4));
    assert.deepEqual(sink.writes, []);
    assert.equal(hub.subscriptions, 0);
  });
});

describe('local hub: join and leave', () => {
  it('delivers join and leave only to sessions that asked for them', () => {
    const wants = session('wants', Sub.pushJoinLeave);
    const quiet = session('quiet', Sub.positioned);
    const { hub, sink } = hubWith(wants, quiet);
    hub.deliver(join('ann'));
    hub.deliver(leave('ann'));
    assert.deepEqual(sink.framesOf(wants), [join('ann').frame, leave('ann').frame]);
    assert.deepEqual(sink.framesOf(quiet), []);
  });

  it('applies the same rule to joins buffered during set-up', () => {
    const wants = session('wants', Sub.pushJoinLeave | Sub.positioned);
    const quiet = session('quiet', Sub.positioned);
    const { hub, sink } = hubWith();
    hub.begin(CH, wants);
    hub.begin(CH, quiet);
    hub.deliver(join('bob'));
    hub.activate(CH, wants, { offset: 0, epoch: 'epochAAA' });
    hub.activate(CH, quiet, { offset: 0, epoch: 'epochAAA' });
    assert.deepEqual(sink.framesOf(wants), [join('bob').frame]);
    assert.deepEqual(sink.framesOf(quiet), []);
  });

  it('does not let join frames move or break the channel position', () => {
    const p = session('p', Sub.positioned | Sub.pushJoinLeave);
    const { hub, sink } = hubWith(p);
    hub.deliver(pub(1));
    hub.deliver(join('ann'));
    hub.deliver(pub(2));
    assert.deepEqual(sink.framesOf(p), [pub(1).frame, join('ann').frame, pub(2).frame]);
    assert.deepEqual(sink.losses, []);
    assert.deepEqual(hub.positions().get(CH), { offset: 2, epoch: 'epochAAA' });
  });
});

describe('local hub: gaps, duplicates and epochs', () => {
  it('reports positioned subscribers lost on a jump in offsets, and not the unpositioned ones', () => {
    const positioned = session('positioned', Sub.positioned | Sub.recoverable);
    const plain = session('plain', 0);
    const { hub, sink } = hubWith(positioned, plain);
    hub.deliver(pub(1));
    hub.deliver(pub(2));
    assert.deepEqual(sink.losses, []);
    hub.deliver(pub(5));
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['positioned'] }]);
    assert.deepEqual(sink.framesOf(plain), [pub(1).frame, pub(2).frame, pub(5).frame]);
    assert.deepEqual(hub.positions().get(CH), { offset: 5, epoch: 'epochAAA' });
  });

  it('reports nothing when the gap hits a channel with only unpositioned subscribers', () => {
    const plain = session('plain', Sub.pushJoinLeave);
    const { hub, sink } = hubWith(plain);
    hub.deliver(pub(1));
    hub.deliver(pub(9));
    assert.deepEqual(sink.losses, []);
    assert.deepEqual(sink.framesOf(plain), [pub(1).frame, pub(9).frame]);
  });

  it('does not deliver a duplicate or an older offset twice', () => {
    const p = session('p', Sub.positioned);
    const { hub, sink } = hubWith(p);
    hub.deliver(pub(1));
    hub.deliver(pub(2));
    hub.deliver(pub(2));
    hub.deliver(pub(1));
    hub.deliver(pub(3));
    assert.deepEqual(sink.framesOf(p), [pub(1).frame, pub(2).frame, pub(3).frame]);
    assert.deepEqual(sink.losses, []);
  });

  it('treats a new epoch as a loss for positioned subscribers and adopts the new stream', () => {
    const positioned = session('positioned', Sub.positioned);
    const plain = session('plain', 0);
    const { hub, sink } = hubWith(positioned, plain);
    hub.deliver(pub(3, 'epochAAA'));
    hub.deliver(pub(1, 'epochBBB'));
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['positioned'] }]);
    assert.deepEqual(hub.positions().get(CH), { offset: 1, epoch: 'epochBBB' });
    hub.deliver(pub(2, 'epochBBB'));
    assert.equal(sink.losses.length, 1, 'the next publication of the new epoch is in sequence');
  });

  it('still delivers the first publication of a new epoch to unpositioned subscribers', () => {
    const plain = session('plain', 0);
    const { hub, sink } = hubWith(plain);
    hub.deliver(pub(3, 'epochAAA'));
    hub.deliver(pub(1, 'epochBBB'));
    hub.deliver(pub(2, 'epochBBB'));
    assert.deepEqual(sink.framesOf(plain), [pub(3, 'epochAAA').frame, pub(1, 'epochBBB').frame, pub(2, 'epochBBB').frame]);
  });

  it('with a sink that unsubscribes the lost, only the others get the publication that revealed the loss', () => {
    const { hub, sink } = unsubscribingHub();
    const positioned = session('positioned', Sub.positioned);
    const plain = session('plain', 0);
    for (const s of [positioned, plain]) {
      hub.begin(CH, s);
      hub.activate(CH, s);
    }
    hub.deliver(pub(1));
    hub.deliver(pub(4));
    hub.deliver(pub(1, 'epochBBB'));
    assert.deepEqual(sink.framesOf(positioned), [pub(1).frame]);
    assert.deepEqual(sink.framesOf(plain), [pub(1).frame, pub(4).frame, pub(1, 'epochBBB').frame]);
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['positioned'] }]);
    assert.equal(hub.subscriptions, 1);
  });

  it('a subscriber joining ahead of the only other subscriber, who is unsubscribed as lost when the node finds the gap, keeps receiving', () => {
    const { hub, sink } = unsubscribingHub();
    const old = session('old', Sub.positioned);
    hub.begin(CH, old);
    hub.activate(CH, old, { offset: 1, epoch: 'epochAAA' });
    const joiner = session('joiner', Sub.positioned);
    hub.begin(CH, joiner);
    hub.activate(CH, joiner, { offset: 5, epoch: 'epochAAA' });
    hub.deliver(pub(6));
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['old'] }]);
    assert.deepEqual(sink.framesOf(joiner), [pub(6).frame]);
    assert.equal(hub.subscriptions, 1);
  });

  it('a subscriber joining with a new epoch, whose only other subscriber is unsubscribed as lost, keeps receiving', () => {
    const { hub, sink } = unsubscribingHub();
    const old = session('old', Sub.positioned);
    hub.begin(CH, old);
    hub.activate(CH, old, { offset: 1, epoch: 'epochAAA' });
    const joiner = session('joiner', Sub.positioned);
    hub.begin(CH, joiner);
    hub.activate(CH, joiner, { offset: 5, epoch: 'epochBBB' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['old'] }]);
    hub.deliver(pub(6, 'epochBBB'));
    assert.deepEqual(sink.framesOf(joiner), [pub(6, 'epochBBB').frame]);
    assert.equal(hub.subscriptions, 1);
  });

  it('delivers publications without an offset as they come and tracks no position for them', () => {
    const p = session('p', Sub.positioned);
    const { hub, sink } = hubWith(p);
    const frame = encodePublication(CH, { data: 'x' });
    hub.deliver({ kind: 'pub', channel: CH, frame });
    hub.deliver({ kind: 'pub', channel: CH, frame });
    assert.deepEqual(sink.framesOf(p), [frame, frame]);
    assert.equal(hub.positions().has(CH), false);
  });
});

/** A hub that has seen offset `offset`, with one positioned subscriber (`positioned`) and `others`. */
function positionedAt(offset: number, ...others: Session[]): { hub: LocalHub; sink: RecordingSink; positioned: Session } {
  const positioned = session('positioned', Sub.positioned);
  const { hub, sink } = hubWith(positioned, ...others);
  hub.deliver(pub(offset));
  return { hub, sink, positioned };
}

/** A hub at offset 3 with a positioned subscriber `before`, joined by `late` whose reply stood for offset 6. */
function joinedAhead(): { hub: LocalHub; sink: RecordingSink; late: Session } {
  const before = session('before', Sub.positioned);
  const { hub, sink } = hubWith(before);
  hub.deliver(pub(3));
  const late = session('late', Sub.positioned);
  hub.begin(CH, late);
  hub.activate(CH, late, { offset: 6, epoch: 'epochAAA' });
  return { hub, sink, late };
}

describe('local hub: positions seen by joining subscribers and the broker', () => {
  it('loses nobody when a subscriber joins at a position ahead of the node: what is on its way reaches the others, and not the joiner twice', () => {
    const before = session('before', Sub.positioned);
    const plain = session('plain', 0);
    const { hub, sink } = hubWith(before, plain);
    hub.deliver(pub(3));
    const late = session('late', Sub.positioned);
    hub.begin(CH, late);
    hub.activate(CH, late, { offset: 6, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, []);
    assert.deepEqual(hub.positions().get(CH), { offset: 3, epoch: 'epochAAA' }, 'the node has not seen 4–6 yet');
    for (const o of [4, 5, 6, 7]) hub.deliver(pub(o));
    assert.deepEqual(sink.framesOf(before), [3, 4, 5, 6, 7].map((o) => pub(o).frame));
    assert.deepEqual(sink.framesOf(plain), [3, 4, 5, 6, 7].map((o) => pub(o).frame));
    assert.deepEqual(sink.framesOf(late), [pub(7).frame]);
    assert.deepEqual(sink.losses, []);
  });

  it('loses the others but not the joiner when what it was ahead by never reaches the node and the next publication shows the gap', () => {
    const { hub, sink, late } = joinedAhead();
    hub.deliver(pub(7));
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['before'] }]);
    assert.deepEqual(sink.framesOf(late), [pub(7).frame]);
  });

  it('finds a tail that a joiner was ahead by and that never reaches the node at the second periodic check, and loses only the others', () => {
    const { hub, sink, late } = joinedAhead();
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, []);
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['before'] }], 'the joiner had up to 6 in its reply');
    hub.deliver(pub(7));
    assert.deepEqual(sink.framesOf(late), [pub(7).frame]);
  });

  it('reports no loss when a subscriber joins at or behind the node position', () => {
    const before = session('before', Sub.positioned);
    const { hub, sink } = hubWith(before);
    hub.deliver(pub(5));
    const same = session('same', Sub.positioned);
    const behind = session('behind', Sub.positioned);
    hub.begin(CH, same);
    hub.activate(CH, same, { offset: 5, epoch: 'epochAAA' });
    hub.begin(CH, behind);
    hub.activate(CH, behind, { offset: 2, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, []);
    assert.deepEqual(hub.positions().get(CH), { offset: 5, epoch: 'epochAAA' });
  });

  it('takes a joining subscriber with another epoch as a loss for the others', () => {
    const before = session('before', Sub.positioned);
    const { hub, sink } = hubWith(before);
    hub.deliver(pub(5));
    const fresh = session('fresh', Sub.positioned);
    hub.begin(CH, fresh);
    hub.activate(CH, fresh, { offset: 1, epoch: 'epochBBB' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['before'] }]);
    assert.deepEqual(hub.positions().get(CH), { offset: 1, epoch: 'epochBBB' });
  });

  it('learns the channel position from the first reply', () => {
    const first = session('first', Sub.positioned);
    const { hub, sink } = hubWith();
    hub.begin(CH, first);
    hub.activate(CH, first, { offset: 10, epoch: 'epochAAA' });
    assert.deepEqual(hub.positions(), new Map([[CH, { offset: 10, epoch: 'epochAAA' }]]));
    hub.deliver(pub(12));
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['first'] }]);
  });

  it('reports positioned subscribers lost when the broker position is ahead', () => {
    const { hub, sink } = positionedAt(4, session('plain', 0));
    hub.reconcile(CH, { offset: 4, epoch: 'epochAAA' });
    hub.reconcile(CH, { offset: 3, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, [], 'a broker at or behind the node is no loss');
    hub.reconcile(CH, { offset: 6, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['positioned'] }]);
    assert.deepEqual(hub.positions().get(CH), { offset: 6, epoch: 'epochAAA' });
  });

  it('reports positioned subscribers lost when the broker has another epoch', () => {
    const { hub, sink } = positionedAt(4);
    hub.reconcile(CH, { offset: 2, epoch: 'epochBBB' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['positioned'] }]);
  });

  it('takes a broker ahead at a periodic check for publications on their way, and loses nobody when they arrive before the next', () => {
    const { hub, sink, positioned } = positionedAt(4);
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, []);
    assert.deepEqual(hub.positions().get(CH), { offset: 4, epoch: 'epochAAA' });
    hub.deliver(pub(5));
    hub.deliver(pub(6));
    hub.deliver(pub(7));
    hub.check(CH, { offset: 8, epoch: 'epochAAA' });
    hub.deliver(pub(8));
    hub.check(CH, { offset: 8, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, []);
    assert.deepEqual(sink.framesOf(positioned), [4, 5, 6, 7, 8].map((o) => pub(o).frame));
  });

  it('reports positioned subscribers lost when, at the next periodic check, the node has still not reached what the broker had', () => {
    const { hub, sink } = positionedAt(4, session('plain', 0));
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    hub.deliver(pub(5));
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['positioned'] }]);
    assert.deepEqual(hub.positions().get(CH), { offset: 6, epoch: 'epochAAA' });
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    assert.equal(sink.losses.length, 1, 'once caught up, the next check finds nothing');
  });

  it('reports positioned subscribers lost when the broker keeps another epoch over two periodic checks', () => {
    const { hub, sink } = positionedAt(4);
    hub.check(CH, { offset: 1, epoch: 'epochBBB' });
    assert.deepEqual(sink.losses, []);
    hub.check(CH, { offset: 1, epoch: 'epochBBB' });
    assert.deepEqual(sink.losses, [{ channel: CH, clients: ['positioned'] }]);
    assert.deepEqual(hub.positions().get(CH), { offset: 1, epoch: 'epochBBB' });
  });

  it('forgets a pending periodic suspicion once a reconcile after a break has set the position', () => {
    const { hub, sink } = positionedAt(4);
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    hub.reconcile(CH, { offset: 6, epoch: 'epochAAA' });
    assert.equal(sink.losses.length, 1);
    hub.check(CH, { offset: 6, epoch: 'epochAAA' });
    assert.equal(sink.losses.length, 1);
  });

  it('ignores the broker for channels without a known position', () => {
    const positioned = session('positioned', Sub.positioned);
    const { hub, sink } = hubWith(positioned);
    hub.reconcile(CH, { offset: 9, epoch: 'epochAAA' });
    hub.reconcile('elsewhere', { offset: 9, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, []);
    assert.equal(hub.positions().size, 0);
  });
});

describe('local hub: removal and counting', () => {
  it('removes a subscription still being set up: its buffer is dropped and activate does nothing', () => {
    const s = session('s', Sub.positioned);
    const { hub, sink } = hubWith();
    hub.begin(CH, s);
    hub.deliver(pub(1));
    hub.remove(CH, s);
    hub.activate(CH, s, { offset: 0, epoch: 'epochAAA' });
    hub.deliver(pub(2));
    assert.deepEqual(sink.writes, []);
    assert.equal(hub.subscriptions, 0);
  });

  it('removes an active subscription: no more frames, and the others keep theirs', () => {
    const gone = session('gone', 0);
    const stays = session('stays', 0);
    const { hub, sink } = hubWith(gone, stays);
    hub.deliver(pub(1));
    hub.remove(CH, gone);
    hub.deliver(pub(2));
    assert.deepEqual(sink.framesOf(gone), [pub(1).frame]);
    assert.deepEqual(sink.framesOf(stays), [pub(1).frame, pub(2).frame]);
  });

  it('forgets a channel and its position once its last subscription is removed', () => {
    const s = session('s', Sub.positioned);
    const { hub, sink } = hubWith(s);
    hub.deliver(pub(3));
    hub.remove(CH, s);
    assert.equal(hub.positions().has(CH), false);
    const again = session('again', Sub.positioned);
    hub.begin(CH, again);
    hub.activate(CH, again, { offset: 8, epoch: 'epochAAA' });
    assert.deepEqual(sink.losses, []);
  });

  it('counts active subscriptions across channels, not pending ones, and not a removal twice', () => {
    const a = session('a', 0);
    const b = session('b', 0);
    b.setSub('other', 0);
    const { hub } = hubWith(a, b);
    hub.begin('other', b);
    assert.equal(hub.subscriptions, 2, 'a pending subscription is not counted');
    hub.activate('other', b);
    assert.equal(hub.subscriptions, 3);
    hub.remove(CH, a);
    hub.remove(CH, a);
    assert.equal(hub.subscriptions, 2);
    hub.remove('other', b);
    hub.remove(CH, b);
    assert.equal(hub.subscriptions, 0);
  });
});
