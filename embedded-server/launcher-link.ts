/**
 * The link between `switchboard serve` and the launcher that started it (bin/switchboard.js spawns
 * it with an IPC channel). The launcher puts this process in its own process group, so a signal to
 * the launcher's group never reaches it; the channel is what tells it the launcher is gone — it
 * closes however the launcher ends, SIGKILL included.
 */

/**
 * Calls `onGone` once when the parent that holds this process's IPC channel goes away. Without a
 * channel (`node embedded-server/cli.ts serve` run directly) it does nothing. Returns a dispose.
 */
export function onLauncherGone(onGone: () => void): () => void {
  const channel = process.channel;
  if (!channel) return () => undefined;
  process.once('disconnect', onGone);
  // The cluster's own servers keep the process alive; the channel must not (a failed start exits).
  channel.unref();
  return () => {
    process.off('disconnect', onGone);
  };
}
