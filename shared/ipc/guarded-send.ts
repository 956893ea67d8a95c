/**
 * The guard on every batched IPC send between the supervisor and its nodes: a message that cannot
 * be encoded (`JSON.stringify` throws, e.g. on a value nested thousands deep) costs only itself,
 * never the process and never the rest of its batch.
 */

/** How one side sends, splits and gives up on messages. */
export interface GuardedSender<M> {
  /** Sends a batch as one IPC message; throws when it cannot be encoded or sent. */
  send(batch: M[]): void;
  /** The parts a message can travel as on its own (a delivery's items), or null when it is one piece. */
  split?(msg: M): M[] | null;
  /** A message that could not be sent even alone: log it and answer whoever waits for it. */
  dropped(msg: M, error: unknown): void;
}

/**
 * Sends `batch` in one piece; when that throws, sends its messages one by one (and a message that
 * still fails, its parts one by one), handing each message that cannot go to `dropped`. Never throws.
 */
export function sendGuarded<M>(batch: readonly M[], sender: GuardedSender<M>): void {
  if (batch.length === 0) return;
  try {
    sender.send(batch as M[]);
    return;
  } catch (e) {
    if (batch.length === 1) return sendParts(batch[0]!, e, sender);
  }
  sendEach(batch, sender, (msg, e) => sendParts(msg, e, sender));
}

/** Sends each item as a batch of its own, handing those that throw to `failed`. */
function sendEach<M>(items: readonly M[], sender: GuardedSender<M>, failed: (item: M, error: unknown) => void): void {
  for (const item of items) {
    try {
      sender.send([item]);
    } catch (e) {
      failed(item, e);
    }
  }
}

function sendParts<M>(msg: M, error: unknown, sender: GuardedSender<M>): void {
  const parts = sender.split?.(msg) ?? null;
  if (parts === null || parts.length < 2) return drop(msg, error, sender);
  sendEach(parts, sender, (part, e) => drop(part, e, sender));
}

function drop<M>(msg: M, error: unknown, sender: GuardedSender<M>): void {
  try {
    sender.dropped(msg, error);
  } catch {
    // The guard's promise is that nothing escapes it, whatever the handler does.
  }
}

/** One line for a log: the error's class and message (no stack: the cause is the message's shape). */
export function describeSendError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
