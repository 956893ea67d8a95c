import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nameParts } from './name-parts.js';

const LONG = 'chat:room-for-the-quarterly-planning-review-of-the-north-american-sales-region-2026';

describe('channel name parts for a middle ellipsis', () => {
  it('keeps the namespace at the start and the last segment at the end of a long name', () => {
    assert.deepEqual(nameParts(LONG), {
      head: 'chat:',
      middle: 'room-for-the-quarterly-planning-review-of-the-north-american-sales-',
      tail: 'region-2026',
    });
  });

  it('gives the name back whole when its parts are joined', () => {
    for (const name of [LONG, 'chat:lobby', 'lobby', '$chat:secret-room-with-a-rather-long-name', 'feed:user-7f3a9c2e4b1d4e8f9a6b2c5d8e1f0a3b']) {
      const p = nameParts(name);
      assert.equal(p.head + p.middle + p.tail, name);
    }
  });

  it('keeps the last characters when no separator falls near the end', () => {
    assert.equal(nameParts('feed:user-7f3a9c2e4b1d4e8f9a6b2c5d8e1f0a3b').tail, '5d8e1f0a3b');
  });

  it('cuts nothing from a short name', () => {
    assert.deepEqual(nameParts('chat:lobby'), { head: 'chat:', middle: 'lobby', tail: '' });
  });

  it('has no namespace part for a channel without one, or one that starts with the boundary', () => {
    assert.equal(nameParts('a-channel-without-any-namespace-at-all-2026').head, '');
    assert.equal(nameParts(':odd').head, '');
  });

  it('keeps the private prefix with the namespace', () => {
    assert.equal(nameParts('$chat:secret-room-with-a-rather-long-name').head, '$chat:');
  });

  it('uses the boundary it is given', () => {
    assert.equal(nameParts('chat.lobby-with-a-name-long-enough-to-cut', '.').head, 'chat.');
  });
});
