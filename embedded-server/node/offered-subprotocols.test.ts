/** How the node reads the subprotocols a client offers (client-connections.ts), as Centrifugo does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offeredSubprotocols } from './client-connections.js';

describe('offeredSubprotocols', () => {
  it('reads a comma-separated list, trimming blanks and dropping empty entries', () => {
    assert.deepEqual(offeredSubprotocols(undefined), []);
    assert.deepEqual(offeredSubprotocols(''), []);
    assert.deepEqual(offeredSubprotocols(' , '), []);
    assert.deepEqual(offeredSubprotocols('centrifuge-json'), ['centrifuge-json']);
    assert.deepEqual(offeredSubprotocols(' a ,b,, c '), ['a', 'b', 'c']);
    assert.deepEqual(offeredSubprotocols(['a', 'b, c']), ['a', 'b', 'c']);
  });
});
