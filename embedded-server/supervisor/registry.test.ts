import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from './registry.js';
import { asNodeId } from '../../shared/ids.js';
import type { SessionOpened } from '../../shared/ipc/node-ipc.js';

const N1 = asNodeId('node-1');
const N2 = asNodeId('node-2');

function opened(client: string, user = 'u'): SessionOpened {
  return { client, user, remote: '127.0.0.1:50000', connectedAt: 1_000, name: 'js', version: '' };
}

const nodes = (registry: Registry, channel: string): string[] | undefined => {
  const found = registry.nodesFor(channel);
  return found === undefined ? undefined : [...found].sort();
};

describe('registry: subscriptions', () => {
  it('answers first=true only for the first subscriber of a channel', () => {
    const registry = new Registry();
    assert.equal(registry.subscribe('chat', 'c1', N1), true);
    assert.equal(registry.subscribe('chat', 'c2', N1), false);
    assert.equal(registry.subscribe('chat', 'c3', N2), false);
    assert.equal(registry.subscribe('news', 'c1', N1), true);
  });

  it('counts a (channel, client) pair once however often it is subscribed', () => {
    const registry = new Registry();
    registry.subscribe('chat', 'c1', N1);
    assert.equal(registry.subscribe('chat', 'c1', N1), false);
    assert.equal(registry.subscribe('chat', 'c1', N2), false);
    assert.deepEqual(registry.channelCounts(), new Map([['chat', 1]]));
    assert.deepEqual(nodes(registry, 'chat'), ['node-1'], 'the repeated subscribe did not move the client');
    assert.deepEqual(registry.unsubscribe('chat', 'c1'), { removed: true, empty: true });
    assert.equal(nodes(registry, 'chat'), undefined, 'one unsubscribe undoes any number of subscribes');
  });

  it('answers removed/empty for each unsubscribe and ignores a repeated one', () => {
    const registry = new Registry();
    registry.subscribe('chat', 'c1', N1);
    registry.subscribe('chat', 'c2', N2);
    assert.deepEqual(registry.unsubscribe('chat', 'c1'), { removed: true, empty: false });
    assert.deepEqual(registry.unsubscribe('chat', 'c1'), { removed: false, empty: false });
    assert.deepEqual(registry.unsubscribe('chat', 'c2'), { removed: true, empty: true });
    assert.deepEqual(registry.unsubscribe('chat', 'c2'), { removed: false, empty: true });
    assert.deepEqual(registry.unsubscribe('never', 'c9'), { removed: false, empty: true });
  });

  it('starts a channel afresh after it went empty', () => {
    const registry = new Registry();
    registry.subscribe('chat', 'c1', N1);
    registry.unsubscribe('chat', 'c1');
    assert.equal(registry.subscribe('chat', 'c2', N2), true);
    assert.deepEqual(nodes(registry, 'chat'), ['node-2']);
  });

  it('lists a node for a channel while at least one of its clients is subscribed', () => {
    const registry = new Registry();
    registry.subscribe('chat', 'c1', N1);
    registry.subscribe('chat', 'c2', N1);
    registry.subscribe('chat', 'c3', N2);
    assert.deepEqual(nodes(registry, 'chat'), ['node-1', 'node-2']);
    registry.unsubscribe('chat', 'c1');
    assert.deepEqual(nodes(registry, 'chat'), ['node-1', 'node-2']);
    registry.unsubscribe('chat', 'c2');
    assert.deepEqual(nodes(registry, 'chat'), ['node-2']);
    assert.equal(nodes(registry, 'quiet'), undefined);
  });

  it('counts subscribers per channel and channels per node', () => {
    const registry = new Registry();
    registry.subscribe('chat', 'c1', N1);
    registry.subscribe('chat', 'c2', N2);
    registry.subscribe('chat', 'c3', N2);
    registry.subscribe('news', 'c3', N2);
    assert.deepEqual(registry.channelCounts(), new Map([['chat', 3], ['news', 1]]));
    assert.equal(registry.channelCountOn(N1), 1);
    assert.equal(registry.channelCountOn(N2), 2);
    assert.equal(registry.channelCountOn(asNodeId('node-3')), 0);
  });
});

describe('registry: sessions and lost nodes', () => {
  it('records sessions with their node and forgets closed ones', () => {
    const registry = new Registry();
    registry.openSession(N1, opened('c1', 'ann'));
    registry.openSession(N2, opened('c2', 'bob'));
    assert.deepEqual(registry.sessions.get('c1'), { ...opened('c1', 'ann'), node: N1, channels: new Set() });
    assert.equal(registry.userCount, 2);
    assert.equal(registry.closeSession('c1')?.user, 'ann');
    assert.deepEqual([...registry.sessions.keys()], ['c2']);
    assert.equal(registry.userCount, 1);
    assert.equal(registry.closeSession('c1'), undefined, 'closing twice changes nothing');
  });

  it("keeps each session's channel set in step with its subscriptions", () => {
    const registry = new Registry();
    registry.openSession(N1, opened('c1', 'ann'));
    registry.subscribe('a', 'c1', N1);
    registry.subscribe('b', 'c1', N1);
    registry.unsubscribe('a', 'c1');
    assert.deepEqual([...registry.sessions.get('c1')!.channels], ['b']);
    assert.deepEqual([...registry.subscribersOf('b')!.keys()], ['c1']);
  });

  it("never lets one session's subscription show in another session's channels", () => {
    const registry = new Registry();
    registry.openSession(N1, opened('c1', 'ann'));
    registry.openSession(N1, opened('c2', 'bob'));
    registry.openSession(N1, opened('c3', 'cy'));
    registry.subscribe('a', 'c1', N1);
    registry.subscribe('b', 'c1', N1);
    registry.subscribe('z', 'c3', N1);
    assert.deepEqual([...registry.sessions.get('c1')!.channels], ['a', 'b']);
    assert.deepEqual([...registry.sessions.get('c2')!.channels], [], 'an unsubscribed session sees none');
    assert.deepEqual([...registry.sessions.get('c3')!.channels], ['z']);
    registry.unsubscribe('a', 'c1');
    registry.unsubscribe('b', 'c1');
    registry.unsubscribe('b', 'c1');
    assert.deepEqual([...registry.sessions.get('c1')!.channels], []);
    registry.subscribe('c', 'c1', N1);
    assert.deepEqual([...registry.sessions.get('c1')!.channels], ['c']);
    assert.deepEqual([...registry.sessions.get('c2')!.channels], []);
    assert.deepEqual([...registry.sessions.get('c3')!.channels], ['z']);
  });

  it('drops a node: its sessions and subscriptions go, and the channels left empty are answered', () => {
    const registry = new Registry();
    registry.openSession(N1, opened('c1'));
    registry.openSession(N1, opened('c2'));
    registry.openSession(N2, opened('c3'));
    registry.subscribe('only-n1', 'c1', N1);
    registry.subscribe('only-n1', 'c2', N1);
    registry.subscribe('shared', 'c1', N1);
    registry.subscribe('shared', 'c3', N2);
    registry.subscribe('only-n2', 'c3', N2);

    assert.deepEqual(registry.dropNode(N1), ['only-n1']);

    assert.deepEqual([...registry.sessions.keys()], ['c3']);
    assert.deepEqual(registry.channelCounts(), new Map([['shared', 1], ['only-n2', 1]]));
    assert.deepEqual(nodes(registry, 'shared'), ['node-2']);
    assert.equal(nodes(registry, 'only-n1'), undefined);
    assert.equal(registry.channelCountOn(N1), 0);
    assert.deepEqual(registry.unsubscribe('shared', 'c1'), { removed: false, empty: false });
    assert.deepEqual(registry.unsubscribe('shared', 'c3'), { removed: true, empty: true });
  });

  it('answers no channels when dropping a node that held nothing, and changes nothing', () => {
    const registry = new Registry();
    registry.subscribe('chat', 'c1', N1);
    assert.deepEqual(registry.dropNode(N2), []);
    assert.deepEqual(registry.channelCounts(), new Map([['chat', 1]]));
  });

  it('lets a dropped node subscribe again from scratch', () => {
    const registry = new Registry();
    registry.subscribe('chat', 'c1', N1);
    registry.dropNode(N1);
    assert.equal(registry.subscribe('chat', 'c1', N1), true);
    assert.deepEqual(nodes(registry, 'chat'), ['node-1']);
  });
});

describe('registry: user connection admission', () => {
  const T = 1_700_000_000_000;

  it("admits a user's connects across nodes up to the limit, counting those admitted and not yet opened", () => {
    const registry = new Registry();
    registry.openSession(N1, opened('a1', 'alice'));
    assert.equal(registry.admitUser('alice', 'a2', 3, T), true);
    assert.equal(registry.admitUser('alice', 'a3', 3, T), true);
    assert.equal(registry.admitUser('alice', 'a4', 3, T), false);
    assert.equal(registry.admitUser('bob', 'b1', 3, T), true);
  });

  it('frees a place when a session closes, and an opened admission is not counted twice', () => {
    const registry = new Registry();
    assert.equal(registry.admitUser('alice', 'a1', 1, T), true);
    registry.openSession(N2, opened('a1', 'alice'));
    assert.equal(registry.admitUser('alice', 'a2', 1, T), false);
    registry.closeSession('a1');
    assert.equal(registry.admitUser('alice', 'a2', 1, T), true);
  });

  it('releases an admission whose session never opened after 10 s', () => {
    const registry = new Registry();
    assert.equal(registry.admitUser('alice', 'a1', 1, T), true);
    assert.equal(registry.admitUser('alice', 'a2', 1, T + 5_000), false);
    assert.equal(registry.admitUser('alice', 'a3', 1, T + 11_000), true);
  });
});
