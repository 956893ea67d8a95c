import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { Disconnects } from '../../shared/protocol/codes.js';
import type { Command } from '../../shared/protocol/client-protocol.js';
import { Session } from './session.js';

/** A stand-in socket that records what the session does to it. */
function fakeSocket(paused: boolean) {
  const calls: string[] = [];
  const ws = {
    isPaused: paused,
    send: (data: string) => calls.push(`send ${data}`),
    resume() {
      this.isPaused = false;
      calls.push('resume');
    },
    close: (code: number, reason: string) => calls.push(`close ${code} ${reason}`),
  };
  return { ws: ws as unknown as WebSocket, calls };
}

describe('session close', () => {
  it('remembers the close the server chose, so the log shows it even when the peer never answers', () => {
    const { ws, calls } = fakeSocket(false);
    const s = new Session(ws, '127.0.0.1', 0);
    s.close(Disconnects.slow);
    s.close(Disconnects.shutdown);
    assert.equal(s.closedWith, Disconnects.slow);
    assert.equal(s.isClosing(), true);
    assert.deepEqual(calls, ['close 3008 slow']);
  });

  it('drops the commands still queued and reads again a socket paused for backpressure', () => {
    const { ws, calls } = fakeSocket(true);
    const s = new Session(ws, '127.0.0.1', 0);
    s.queue.push({ id: 2, method: 'presence', params: { channel: 'chat:a' } } as Command);
    s.outbox = ['{"id":1,"publish":{}}'];
    s.close(Disconnects.tooManyRequests);
    assert.equal(s.queue.length, 0);
    assert.deepEqual(calls, ['send {"id":1,"publish":{}}', 'resume', 'close 3013 too many requests']);
  });
});
