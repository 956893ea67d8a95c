/**
 * The console page ↔ desktop main boundary: what the preload exposes as `window.switchboard`, and
 * the IPC channels behind it, each with its request and answer (STYLE.md §2). Nothing else crosses:
 * the admin URL and token, the app version, save-file, open-external, notifications and the alert badge.
 */
import { z } from 'zod';
import type { Result } from '../result.js';
import { err, ok } from '../result.js';

/** `window.switchboard` in the console (renderer/src/bridge/link-target.ts reads the first two). */
export interface SwitchboardBridge {
  /** `ws://host:port/admin` of the cluster this window watches. */
  readonly adminUrl: string;
  /** Its admin token. */
  readonly adminToken: string;
  /** The desktop app's version. */
  readonly appVersion: string;
  /** Asks where to save, then writes the text (events exports). */
  saveFile(name: string, text: string): Promise<SaveFileResult>;
  /** Opens an http(s) link in the system browser; false when refused. */
  openExternal(url: string): Promise<boolean>;
  /** A desktop notification, e.g. "node-2 is down". */
  notify(title: string, body: string): Promise<void>;
  /** The number of firing alerts on the dock/taskbar badge (0 clears it); in the window title where the platform has no badge. */
  setBadge(count: number): Promise<void>;
}

export type SaveFileResult =
  | { saved: true; path: string }
  | { saved: false; reason: 'cancelled' }
  | { saved: false; reason: 'failed'; message: string };

/** What the preload learns synchronously, before the page's first script runs. */
export interface ConsoleBoot {
  adminUrl: string;
  adminToken: string;
  appVersion: string;
}

/** Invoke channels: request and answer. */
export interface ConsoleInvokes {
  'switchboard:save-file': { req: { name: string; text: string }; res: SaveFileResult };
  'switchboard:open-external': { req: { url: string }; res: boolean };
  'switchboard:notify': { req: { title: string; body: string }; res: void };
  'switchboard:set-badge': { req: { count: number }; res: void };
}

/** The one synchronous channel (`ipcRenderer.sendSync`), answered while the preload runs. */
export const CONSOLE_BOOT_CHANNEL = 'switchboard:boot';
export type ConsoleBootChannel = typeof CONSOLE_BOOT_CHANNEL;

/** Main → preload: show a console view (the View menu); the preload sets `location.hash`. */
export const SHOW_VIEW_CHANNEL = 'switchboard:show-view';
export type ShowViewChannel = typeof SHOW_VIEW_CHANNEL;

export type ConsoleInvokeChannel = keyof ConsoleInvokes;

/** The console's views: the renderer's navigation (renderer/src/routes.ts) and the desktop View menu. */
export const CONSOLE_VIEWS = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'nodes', label: 'Nodes', key: '2' },
  { id: 'connections', label: 'Connections', key: '3' },
  { id: 'channels', label: 'Channels', key: '4' },
  { id: 'broadcast', label: 'Broadcast', key: '5' },
  { id: 'events', label: 'Events', key: '6' },
  { id: 'simulator', label: 'Simulator', key: '7' },
  { id: 'audit', label: 'Audit', key: '8' },
  { id: 'alerts', label: 'Alerts', key: '9' },
  { id: 'capacity', label: 'Capacity', key: '0' },
] as const;

export type ConsoleViewId = (typeof CONSOLE_VIEWS)[number]['id'];

const REQUESTS = {
  'switchboard:save-file': z.strictObject({
    name: z.string().min(1).max(255),
    text: z.string().max(256 * 1024 * 1024),
  }),
  'switchboard:open-external': z.strictObject({ url: z.string().min(1).max(8192) }),
  'switchboard:notify': z.strictObject({ title: z.string().min(1).max(200), body: z.string().max(1000) }),
  'switchboard:set-badge': z.strictObject({ count: z.number().int().min(0).max(9999) }),
} satisfies { [C in ConsoleInvokeChannel]: z.ZodType<ConsoleInvokes[C]['req']> };

/** The invoke channels, for registering handlers (kept exhaustive by `satisfies` above). */
export const CONSOLE_INVOKE_CHANNELS = Object.keys(REQUESTS) as ConsoleInvokeChannel[];

/** Checks a request's payload for its channel. */
export function parseConsoleRequest<C extends ConsoleInvokeChannel>(channel: C, payload: unknown): Result<ConsoleInvokes[C]['req'], string> {
  const parsed = (REQUESTS[channel] as z.ZodType<ConsoleInvokes[C]['req']>).safeParse(payload);
  return parsed.success ? ok(parsed.data) : err(`invalid ${channel} request: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}
