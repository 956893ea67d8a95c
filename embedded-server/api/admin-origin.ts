/**
 * Which browser pages may use the admin API. The console comes from two places: the admin port
 * itself (`switchboard serve`, any browser) and the desktop app's `switchboard://console` scheme
 * (shared/desktop/app-origin.ts; the renderer opens the admin WebSocket and
 * fetches /auth-check from there, for the embedded cluster and for a remote one alike). No other
 * origin may, unless listed in `cluster.admin_allowed_origins` (a console served from elsewhere):
 * a page elsewhere must not drive the cluster with a token it found.
 */
import { DESKTOP_CONSOLE_ORIGIN } from '../../shared/desktop/app-origin.js';

/**
 * True when a request with this Origin may use the admin API: no Origin (a tool, not a browser
 * page), the desktop console, an origin in `extra`, or a page served by this very port — its
 * origin's host:port is the Host the request was sent to (the Host check has already vetted it).
 */
export function adminOriginAllowed(origin: string | undefined, host: string | undefined, extra: readonly string[] = []): boolean {
  if (origin === undefined) return true;
  if (corsOriginFor(origin, extra) !== undefined) return true;
  if (host === undefined) return false;
  try {
    const page = new URL(origin);
    if (page.protocol !== 'http:' && page.protocol !== 'https:') return false;
    // Parsed the same way, so that default ports and case compare equal.
    return page.host === new URL(`${page.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/** The Access-Control-Allow-Origin a cross-origin console needs (the desktop's, or one in `extra`), or none. */
export function corsOriginFor(origin: string | undefined, extra: readonly string[] = []): string | undefined {
  if (origin === undefined) return undefined;
  const lower = origin.toLowerCase();
  return lower === DESKTOP_CONSOLE_ORIGIN || extra.some((o) => o.toLowerCase() === lower) ? origin : undefined;
}

/**
 * How events and the audit log name an admin connection (`by`, `who`): `admin-N (address)`, with
 * `, desktop app` for the desktop app's console and `, browser` for a console page in a browser; a
 * tool that sends no Origin gets its address only.
 */
export function adminConnectionName(n: number, address: string | undefined, origin: string | undefined): string {
  const kind = origin === undefined ? '' : origin.toLowerCase() === DESKTOP_CONSOLE_ORIGIN ? ', desktop app' : ', browser';
  return `admin-${n} (${address ?? 'unknown'}${kind})`;
}
