/**
 * Where the desktop app's own pages come from: a privileged `switchboard://` scheme with one host
 * per page kind. Electron main serves them (main/app-protocol.ts); the admin port accepts the
 * console's origin (embedded-server/api/admin-origin.ts). One definition for both sides.
 */

/** The app's own pages are served from disk under this privileged scheme. */
export const APP_SCHEME = 'switchboard';

/** One origin per page kind, so a handler can tell the console from the settings page. */
export const APP_HOSTS = { console: 'console', settings: 'settings' } as const;
export type AppHost = (typeof APP_HOSTS)[keyof typeof APP_HOSTS];

/** The origin of the desktop app's console window (a standard, secure custom scheme). */
export const DESKTOP_CONSOLE_ORIGIN = `${APP_SCHEME}://${APP_HOSTS.console}`;
