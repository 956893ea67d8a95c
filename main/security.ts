/**
 * Electron security, fixed once (STYLE.md §8): the web preferences of every window, the content
 * security policy of every app page, what navigation and window.open may do, which frames an IPC
 * handler answers, and which permission requests pass. Pure functions; the adapter applies them.
 */
import { APP_HOSTS, APP_SCHEME } from '../shared/desktop/app-origin.js';
import type { AppHost } from '../shared/desktop/app-origin.js';
import type { IpcSender, SecureWebPreferences, WindowEvents } from './desktop-port.js';

export { APP_HOSTS, APP_SCHEME };
export type { AppHost };

export const appUrl = (host: AppHost, path = 'index.html'): string => `${APP_SCHEME}://${host}/${path}`;

/** The web preferences of every window: isolated, sandboxed, no Node, no webviews. */
export function secureWebPreferences(preload: string, development: boolean): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: development,
  };
}

/** The app host a URL belongs to, or null for anything that is not one of the app's pages. */
export function appHostOf(url: string): AppHost | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:`) return null;
  return (Object.values(APP_HOSTS) as string[]).includes(u.host) ? (u.host as AppHost) : null;
}

/** http(s) links may open in the system browser; every other scheme (file:, javascript:, …) never. */
export function isExternalLink(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export type NavigationVerdict = 'allow' | 'external' | 'deny';

/** A window of `host` may move within its own pages; http(s) goes to the browser; the rest is refused. */
export function judgeNavigation(url: string, host: AppHost): NavigationVerdict {
  if (appHostOf(url) === host) return 'allow';
  return isExternalLink(url) ? 'external' : 'deny';
}

/**
 * The navigation answers of a window showing `host`: it may move within its own pages; an http(s)
 * link goes to the system browser; window.open never makes a window.
 */
export function navigationGuard(host: AppHost, openExternal: (url: string) => void): Pick<WindowEvents, 'navigate' | 'openWindow'> {
  return {
    navigate: (url) => {
      const verdict = judgeNavigation(url, host);
      if (verdict === 'external') openExternal(url);
      return verdict === 'allow';
    },
    openWindow: (url) => {
      if (isExternalLink(url)) openExternal(url);
    },
  };
}

/**
 * An IPC message is answered only when it comes from the main frame of one of the app's windows,
 * showing the page the channel belongs to — never from an iframe, a foreign page, or a frame that
 * is gone.
 */
export function senderAllowed(sender: IpcSender, host: AppHost, windowIds: ReadonlySet<number>): boolean {
  if (sender.frameUrl === null || !sender.isMainFrame) return false;
  if (sender.windowId === null || !windowIds.has(sender.windowId)) return false;
  return appHostOf(sender.frameUrl) === host;
}

/** Web permissions the pages may use: writing to the clipboard (the console's copy buttons). */
export function permissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}

/**
 * The CSP of the app's pages: scripts and styles from the app only, no plugins, no frames, no
 * forms; the console may connect to its admin API (WebSocket plus the HTTP token check) and
 * nowhere else.
 */
export function contentSecurityPolicy(adminUrl: string | null): string {
  const connect = ["'self'", ...adminOrigins(adminUrl)];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "worker-src 'none'",
  ].join('; ');
}

/** ws://h:p/admin → ws://h:p and http://h:p (wss → https). */
function adminOrigins(adminUrl: string | null): string[] {
  if (adminUrl === null) return [];
  let u: URL;
  try {
    u = new URL(adminUrl);
  } catch {
    return [];
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return [];
  const http = u.protocol === 'wss:' ? 'https:' : 'http:';
  return [`${u.protocol}//${u.host}`, `${http}//${u.host}`];
}
