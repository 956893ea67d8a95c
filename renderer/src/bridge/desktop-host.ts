/**
 * The desktop app's helpers when the console runs inside it: `window.switchboard`, exposed by its
 * preload (main/preload/preload.cts; contract in shared/desktop/console-bridge.ts). In a browser
 * there is no host: each helper answers false and the caller does it the browser's way.
 */
import type { SwitchboardBridge } from '../../../shared/desktop/console-bridge.js';
import { useSession } from '../stores/session.store.js';

/** The desktop bridge, or null in a browser. */
export function desktopHost(): SwitchboardBridge | null {
  const host = (window as unknown as { switchboard?: Partial<SwitchboardBridge> }).switchboard;
  const complete = typeof host?.saveFile === 'function' && typeof host.notify === 'function' && typeof host.openExternal === 'function';
  return complete ? (host as SwitchboardBridge) : null;
}

/** Saves through the desktop's save dialog (the outcome, naming `what` was saved, shows as a toast); false in a browser. */
export function saveFile(name: string, text: string, what: string): boolean {
  const host = desktopHost();
  if (!host) return false;
  host.saveFile(name, text).then(
    (result) => {
      if (result.saved) useSession.getState().toast('ok', `Saved ${what} to ${result.path}`);
      else if (result.reason === 'failed') useSession.getState().toast('error', `Not saved: ${result.message}`);
    },
    (e: unknown) => useSession.getState().toast('error', `Not saved: ${e instanceof Error ? e.message : String(e)}`),
  );
  return true;
}

/** A desktop notification; false in a browser (the console shows its own toasts there). */
export function notify(title: string, body: string): boolean {
  const host = desktopHost();
  if (!host) return false;
  host.notify(title, body).catch(() => undefined);
  return true;
}

/** Opens an http(s) link in the system browser; false in a browser. */
export function openExternal(url: string): boolean {
  const host = desktopHost();
  if (!host) return false;
  host.openExternal(url).catch(() => undefined);
  return true;
}
