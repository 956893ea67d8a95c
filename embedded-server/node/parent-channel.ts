/**
 * The node's side of its IPC channel to the supervisor. A supervisor that dies (SIGKILL, a crash)
 * leaves writes in flight that fail with EPIPE; without a callback Node emits that failure on
 * `process` as an uncaught error, and the node would report a crash that is not its own. Such a
 * failure is ignored here: the channel's 'disconnect' follows, and node-main.ts exits on it.
 */

/** Sends one message (a batch is one message) to the supervisor while the channel is open. */
export function sendToParent(message: unknown): void {
  if (process.connected) process.send!(message, undefined, {}, ignoreClosedChannel);
}

function ignoreClosedChannel(): void {
  // The supervisor is gone; 'disconnect' ends this process.
}
