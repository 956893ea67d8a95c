/**
 * Outgoing frames are batched per session per event-loop turn: every reply and push queued in one
 * turn leaves as a single WebSocket message (the protocol allows several objects per frame), so a
 * burst of publications costs one write per socket, not one per publication. Subscribers of a
 * channel are handed the same frame strings, so a turn's distinct frame sequences are encoded to
 * bytes once and the same Buffer goes to every socket that has that sequence (as a one-process
 * broadcaster would), not once per subscriber.
 */
import type { Session } from './session.js';
import type { NodeCounters } from './node-counters.js';
import { Disconnects } from '../../shared/protocol/codes.js';

export class Outbox {
  private dirty: Session[] = [];
  private scheduled = false;

  constructor(
    private readonly counters: NodeCounters,
    private readonly queueMaxSize: number,
  ) {}

  /** Queues a frame for a session; flushed at the end of this turn. */
  push(session: Session, frame: string): void {
    if (session.isClosing()) return;
    if (session.outbox === null) {
      session.outbox = [frame];
      this.dirty.push(session);
    } else {
      session.outbox.push(frame);
    }
    this.counters.messagesOut++;
    session.messagesOut++;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const dirty = this.dirty;
    this.dirty = [];
    const encoded = new FrameBytes();
    for (const s of dirty) {
      const frames = s.outbox;
      s.outbox = null;
      if (frames === null || s.state === 'closed') continue;
      const bytes = encoded.of(frames);
      this.counters.bytesOut += bytes.length;
      s.bytesOut += bytes.length;
      s.ws.send(bytes, { binary: false });
      // A consumer that cannot keep up is cut off so it recovers from history instead of growing memory.
      if (s.ws.bufferedAmount > this.queueMaxSize) s.close(Disconnects.slow);
    }
  }
}

interface FrameNode {
  bytes: Buffer | null;
  next: Map<string, FrameNode> | null;
}

/**
 * The bytes of each distinct frame sequence of one flush, encoded once: a trie over the frame
 * strings, so a lookup compares strings the hub shared (pointer-equal, hash cached) rather than
 * joining and hashing a session's whole message.
 */
export class FrameBytes {
  private readonly root: FrameNode = { bytes: null, next: null };

  of(frames: readonly string[]): Buffer {
    let node = this.root;
    for (const frame of frames) {
      node.next ??= new Map();
      let child = node.next.get(frame);
      if (child === undefined) {
        child = { bytes: null, next: null };
        node.next.set(frame, child);
      }
      node = child;
    }
    return (node.bytes ??= Buffer.from(frames.length === 1 ? frames[0]! : frames.join('\n')));
  }
}
