import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { companionOf } from './companion.js';

const BOTH = ['chat', 'typing', 'feed', 'personal'];

describe('a channel\'s typing companion', () => {
  it('links a chat channel to the typing channel of the same name, and back', () => {
    assert.deepEqual(companionOf('chat:room', BOTH), { channel: 'typing:room', kind: 'typing' });
    assert.deepEqual(companionOf('typing:room', BOTH), { channel: 'chat:room', kind: 'chat' });
    assert.deepEqual(companionOf('chat:sim-ab12-10', BOTH), { channel: 'typing:sim-ab12-10', kind: 'typing' });
  });

  it('keeps everything after the namespace, boundaries included', () => {
    assert.deepEqual(companionOf('chat:team:alpha#7', BOTH), { channel: 'typing:team:alpha#7', kind: 'typing' });
  });

  it('has none outside chat and typing, without a namespace, or with nothing after it', () => {
    for (const name of ['feed:news', 'personal:#alice', 'lobby', ':x', 'chat:', 'typing:', 'chatter:room']) {
      assert.equal(companionOf(name, BOTH), null, name);
    }
  });

  it('has none when the cluster has no namespace for the other half', () => {
    assert.equal(companionOf('chat:room', ['chat', 'feed']), null);
    assert.equal(companionOf('typing:room', ['typing']), null);
  });

  it('follows a configured namespace boundary', () => {
    assert.deepEqual(companionOf('chat/room', BOTH, '/'), { channel: 'typing/room', kind: 'typing' });
    assert.equal(companionOf('chat:room', BOTH, '/'), null);
  });
});
