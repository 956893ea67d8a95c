/**
 * The console window's preload: the whole of what the page gets from the desktop app, as
 * `window.switchboard` (shared/desktop/console-bridge.ts). Plain values and functions only — no
 * Electron object reaches the page. Sandboxed preloads can require nothing but `electron`, so the
 * channel names are written here and checked against the shared contract by the compiler.
 */
import electron = require('electron');
import type {
  ConsoleBoot, ConsoleBootChannel, ConsoleInvokeChannel, ConsoleInvokes, ShowViewChannel, SwitchboardBridge,
} from '../../shared/desktop/console-bridge.js';

const { contextBridge, ipcRenderer } = electron;

const BOOT: ConsoleBootChannel = 'switchboard:boot';
const SHOW_VIEW: ShowViewChannel = 'switchboard:show-view';

function invoke<C extends ConsoleInvokeChannel>(channel: C, req: ConsoleInvokes[C]['req']): Promise<ConsoleInvokes[C]['res']> {
  return ipcRenderer.invoke(channel, req) as Promise<ConsoleInvokes[C]['res']>;
}

// Synchronous on purpose: the console reads the admin URL and token in its first lines.
const boot = (ipcRenderer.sendSync(BOOT) as ConsoleBoot | null) ?? { adminUrl: '', adminToken: '', appVersion: '' };

const bridge: SwitchboardBridge = {
  adminUrl: boot.adminUrl,
  adminToken: boot.adminToken,
  appVersion: boot.appVersion,
  saveFile: (name, text) => invoke('switchboard:save-file', { name: String(name), text: String(text) }),
  openExternal: (url) => invoke('switchboard:open-external', { url: String(url) }),
  notify: (title, body) => invoke('switchboard:notify', { title: String(title), body: String(body) }),
  setBadge: (count) => invoke('switchboard:set-badge', { count: Number(count) }),
};

contextBridge.exposeInMainWorld('switchboard', bridge);

// The View menu: the console routes by hash (renderer/src/routes.ts).
ipcRenderer.on(SHOW_VIEW, (_event, view: unknown) => {
  if (typeof view === 'string' && /^[a-z-]+$/.test(view)) (globalThis as unknown as { location: { hash: string } }).location.hash = `#/${view}`;
});
