/**
 * The answers to the pages' IPC requests, behind the sender check. The console may ask for its
 * boot values, save a file, open an http(s) link, post a notification and set the alert badge; the settings page may
 * load and save the settings. Payloads are checked by the shared codecs before anything runs.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Result } from '../shared/result.js';
import { assertNever } from '../shared/result.js';
import type { ConsoleBoot, ConsoleInvokeChannel, ConsoleInvokes, SaveFileResult } from '../shared/desktop/console-bridge.js';
import { CONSOLE_BOOT_CHANNEL, CONSOLE_INVOKE_CHANNELS, parseConsoleRequest } from '../shared/desktop/console-bridge.js';
import type { SaveSettingsResult, SettingsInput, SettingsInvokeChannel, SettingsSnapshot } from '../shared/desktop/settings-bridge.js';
import { SETTINGS_INVOKE_CHANNELS, parseSettingsRequest } from '../shared/desktop/settings-bridge.js';
import type { DesktopPort, IpcSender, WindowHandle } from './desktop-port.js';
import type { AppHost } from './security.js';
import { isExternalLink, senderAllowed } from './security.js';
import { badgedTitle } from './alert-badge.js';

/** Thrown to the renderer when a request is refused (the invoke rejects; a sync request gets null). */
export class IpcRefused extends Error {}

export interface PageContext {
  port: DesktopPort;
  /** The window showing each page kind, if open. */
  window(host: AppHost): WindowHandle | undefined;
  boot(): ConsoleBoot;
  settings(): SettingsSnapshot;
  saveSettings(input: SettingsInput): Promise<SaveSettingsResult>;
}

/** A file name from the page, reduced to a plain name (no folders, no control characters). */
export function safeFileName(name: string): string {
  const unsafe = (c: string): boolean => c.charCodeAt(0) < 32 || '<>:"|?*'.includes(c);
  const plain = [...basename(name.replace(/\\/g, '/'))].map((c) => (unsafe(c) ? '_' : c)).join('').trim();
  return plain === '' || plain === '.' || plain === '..' ? 'switchboard-export.txt' : plain;
}

/** Registers every page channel with the port; each handler checks the sender first. */
export function registerPageRequests(ctx: PageContext): void {
  const guard = (host: AppHost, channel: string, sender: IpcSender): void => {
    const window = ctx.window(host);
    const ids = new Set(window && !window.isDestroyed() ? [window.id] : []);
    if (!senderAllowed(sender, host, ids)) throw new IpcRefused(`${channel}: refused for a sender that is not the ${host} page`);
  };
  ctx.port.handle(CONSOLE_BOOT_CHANNEL, 'sync', (sender) => {
    guard('console', CONSOLE_BOOT_CHANNEL, sender);
    return ctx.boot();
  });
  for (const channel of CONSOLE_INVOKE_CHANNELS) {
    ctx.port.handle(channel, 'invoke', (sender, payload) => {
      guard('console', channel, sender);
      return consoleRequest(ctx, channel, payload);
    });
  }
  for (const channel of SETTINGS_INVOKE_CHANNELS) {
    ctx.port.handle(channel, 'invoke', (sender, payload) => {
      guard('settings', channel, sender);
      return settingsRequest(ctx, channel, payload);
    });
  }
}

/** A checked payload, or the refusal the renderer sees. */
function need<T>(parsed: Result<T, string>): T {
  if (!parsed.ok) throw new IpcRefused(parsed.error);
  return parsed.value;
}

async function consoleRequest(ctx: PageContext, channel: ConsoleInvokeChannel, payload: unknown): Promise<ConsoleInvokes[ConsoleInvokeChannel]['res']> {
  switch (channel) {
    case 'switchboard:save-file': {
      const { name, text } = need(parseConsoleRequest(channel, payload));
      return saveFile(ctx, name, text);
    }
    case 'switchboard:open-external': {
      const { url } = need(parseConsoleRequest(channel, payload));
      if (!isExternalLink(url)) return false;
      await ctx.port.openExternal(url);
      return true;
    }
    case 'switchboard:notify': {
      const { title, body } = need(parseConsoleRequest(channel, payload));
      return ctx.port.notify(title, body);
    }
    case 'switchboard:set-badge': {
      const { count } = need(parseConsoleRequest(channel, payload));
      const window = ctx.window('console');
      // Without a badge, the count goes where the taskbar shows it anyway: the window's title.
      if (!ctx.port.setBadge(count) && window && !window.isDestroyed()) window.setTitle(badgedTitle(window.title(), count));
      return undefined;
    }
    default:
      return assertNever(channel);
  }
}

async function saveFile(ctx: PageContext, name: string, text: string): Promise<SaveFileResult> {
  const path = await ctx.port.chooseSavePath(join(ctx.port.downloadsDir(), safeFileName(name)), ctx.window('console'));
  if (path === null) return { saved: false, reason: 'cancelled' };
  try {
    await writeFile(path, text);
    return { saved: true, path };
  } catch (e) {
    return { saved: false, reason: 'failed', message: (e as Error).message };
  }
}

async function settingsRequest(ctx: PageContext, channel: SettingsInvokeChannel, payload: unknown): Promise<SettingsSnapshot | SaveSettingsResult> {
  switch (channel) {
    case 'settings:load':
      need(parseSettingsRequest(channel, payload));
      return ctx.settings();
    case 'settings:save': {
      const parsed = parseSettingsRequest(channel, payload);
      return parsed.ok ? ctx.saveSettings(parsed.value) : { ok: false, message: parsed.error };
    }
    default:
      return assertNever(channel);
  }
}
