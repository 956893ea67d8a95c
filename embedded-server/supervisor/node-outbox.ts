/**
 * What the supervisor has for one node and has not written to its IPC channel yet: messages are
 * batched per event-loop turn (one IPC message), deliveries append to the batch's trailing
 * `deliver`, and the bytes not written yet are counted through the send callback. A node that does
 * not read (hung, or far behind) stops receiving deliveries once that count passes the bound: they
 * are dropped and the node, when it reads again, finds the offset gaps and makes its subscribers
 * recover (as after a partition). Requests and answers are never dropped for that; they are small.
 */
import { sendGuarded } from '../../shared/ipc/guarded-send.js';
import type { Delivery, SupervisorMessage } from '../../shared/ipc/node-ipc.js';

/** Where the batches go. */
export interface OutboxChannel {
  /** Writes one batch; `written` runs once it left the process. Throws when it cannot be encoded. */
  write(batch: SupervisorMessage[], written: () => void): void;
  /** A message that could not be sent even alone (see shared/ipc/guarded-send.ts). */
  dropped(msg: SupervisorMessage, error: unknown): void;
  /** The bound was reached (`dropping` true) or the node caught up again (false, with the count dropped meanwhile). */
  overflow(dropping: boolean, dropped: number): void;
}

/** A rough size of a message that is not a delivery (the JSON envelope and small fields). */
const MESSAGE_BYTES = 128;

const deliveryBytes = (item: Delivery): number => item.frame.length + item.channel.length + 64;

function messageBytes(msg: SupervisorMessage): number {
  if (msg.t !== 'deliver') return MESSAGE_BYTES;
  let n = MESSAGE_BYTES;
  for (const item of msg.items) n += deliveryBytes(item);
  return n;
}

/** A `deliver` message can travel as one message per item. */
function splitDeliveries(msg: SupervisorMessage): SupervisorMessage[] | null {
  return msg.t === 'deliver' && msg.items.length > 1 ? msg.items.map((item) => ({ t: 'deliver', items: [item] })) : null;
}

export class NodeOutbox {
  private batch: SupervisorMessage[] = [];
  private batchBytes = 0;
  private scheduled = false;
  /** Bytes handed to the channel whose write has not completed. */
  private unwritten = 0;
  private dropping = false;
  private droppedSinceOverflow = 0;
  /** Deliveries dropped because the node was not reading, in all. */
  droppedDeliveries = 0;

  constructor(private readonly channel: OutboxChannel, readonly maxBytes: number) {}

  /** Bytes queued for the node: in the coming batch, and written to the channel but not read yet. */
  get queuedBytes(): number {
    return this.unwritten + this.batchBytes;
  }

  /** Queues a message; one IPC message per turn carries the batch. */
  send(msg: SupervisorMessage): void {
    this.batch.push(msg);
    this.batchBytes += messageBytes(msg);
    this.schedule();
  }

  /** Appends to the batch's trailing delivery message, so order with other messages is kept; false when dropped. */
  deliver(item: Delivery): boolean {
    const bytes = deliveryBytes(item);
    if (this.queuedBytes + bytes > this.maxBytes) {
      this.droppedDeliveries++;
      this.droppedSinceOverflow++;
      if (!this.dropping) {
        this.dropping = true;
        this.channel.overflow(true, 0);
      }
      return false;
    }
    const last = this.batch[this.batch.length - 1];
    if (last?.t !== 'deliver') {
      this.send({ t: 'deliver', items: [item] });
      return true;
    }
    last.items.push(item);
    this.batchBytes += bytes;
    return true;
  }

  /** Writes the batch now (guarded: a message that cannot be encoded costs only itself). */
  flush(): void {
    this.scheduled = false;
    if (this.batch.length === 0) return;
    const batch = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    sendGuarded(batch, {
      send: (b) => this.write(b, b === batch ? bytes : b.reduce((n, m) => n + messageBytes(m), 0)),
      split: splitDeliveries,
      dropped: (msg, e) => this.channel.dropped(msg, e),
    });
  }

  /** Forgets everything queued (the node is gone). */
  clear(): void {
    this.batch = [];
    this.batchBytes = 0;
  }

  private write(batch: SupervisorMessage[], bytes: number): void {
    this.unwritten += bytes;
    try {
      this.channel.write(batch, () => this.written(bytes));
    } catch (e) {
      this.unwritten -= bytes; // never left: it does not count
      throw e;
    }
  }

  private written(bytes: number): void {
    this.unwritten = Math.max(0, this.unwritten - bytes);
    if (this.dropping && this.queuedBytes <= this.maxBytes / 2) {
      this.dropping = false;
      this.channel.overflow(false, this.droppedSinceOverflow);
      this.droppedSinceOverflow = 0;
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
