import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PresenceStore } from './presence-store.js';
import type { ClientInfo } from '../../shared/protocol/client-protocol.js';

const info = (client: string, user: string): ClientInfo => ({ user, client });

describe('presence store', () => {
  it('lists entries keyed by client id, and {} for an empty channel', () => {
    const store = new PresenceStore();
    assert.deepEqual(store.list('chat'), {});
    store.add('chat', { user: '42', client: 'c1', conn_info: { name: 'Ann' } }, 'node-1');
    store.add('chat', info('c2', '43'), 'node-2');
    assert.deepEqual(store.list('chat'), {
      c1: { user: '42', client: 'c1', conn_info: { name: 'Ann' } },
      c2: { user: '43', client: 'c2' },
    });
  });

  it('refreshes an entry when the same client is added again', () => {
    const store = new PresenceStore();
    store.add('chat', info('c1', '42'), 'node-1');
    store.add('chat', { user: '42', client: 'c1', chan_info: 'x' }, 'node-1');
    assert.deepEqual(store.list('chat'), { c1: { user: '42', client: 'c1', chan_info: 'x' } });
    assert.equal(store.stats('chat').num_clients, 1);
  });

  it('counts distinct users, with every anonymous client as one user', () => {
    const store = new PresenceStore();
    store.add('chat', info('c1', '42'), 'n');
    store.add('chat', info('c2', '42'), 'n');
    store.add('chat', info('c3', '7'), 'n');
    store.add('chat', info('c4', ''), 'n');
    store.add('chat', info('c5', ''), 'n');
    assert.deepEqual(store.stats('chat'), { num_clients: 5, num_users: 3 });
    assert.deepEqual(store.stats('empty'), { num_clients: 0, num_users: 0 });
  });

  it('removes an entry and forgets a channel once it is empty', () => {
    const store = new PresenceStore();
    store.add('chat', info('c1', '42'), 'n');
    assert.equal(store.remove('chat', 'missing'), undefined);
    assert.equal(store.remove('other', 'c1'), undefined);
    assert.deepEqual(store.remove('chat', 'c1'), info('c1', '42'));
    assert.equal(store.channelCount, 0);
    assert.deepEqual(store.list('chat'), {});
  });

  it('removes every entry of a dead node and answers what it removed', () => {
    const store = new PresenceStore();
    store.add('a', info('c1', '1'), 'dead');
    store.add('a', info('c2', '2'), 'alive');
    store.add('b', info('c3', '3'), 'dead');
    const removed = store.removeOwner('dead');
    assert.deepEqual(
      removed.sort((x, y) => x.info.client.localeCompare(y.info.client)),
      [{ channel: 'a', info: info('c1', '1') }, { channel: 'b', info: info('c3', '3') }],
    );
    assert.deepEqual(store.list('a'), { c2: info('c2', '2') });
    assert.equal(store.channelCount, 1);
    assert.deepEqual(store.removeOwner('dead'), []);
  });

  it('keeps a client id like __proto__ as a plain entry', () => {
    const store = new PresenceStore();
    store.add('chat', info('__proto__', 'u'), 'n');
    const listed = store.list('chat');
    assert.equal(Object.getPrototypeOf(listed), Object.prototype);
    assert.deepEqual(Object.keys(listed), ['__proto__']);
  });
});
