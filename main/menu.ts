/**
 * The application menu as data (desktop-port.ts `MenuSpec`): File, Edit, Cluster, View, Help —
 * plus the app menu on macOS. Which items are enabled follows the state: the embedded cluster's
 * commands need it running, dev tools exist in development only.
 */
import type { ConsoleViewId } from '../shared/desktop/console-bridge.js';
import { CONSOLE_VIEWS } from '../shared/desktop/console-bridge.js';
import type { MenuItemSpec, MenuSpec } from './desktop-port.js';

export type MenuCommand =
  | 'export-events' | 'settings' | 'quit'
  | 'add-node' | 'restart-cluster' | 'open-in-browser' | 'copy-client-url' | 'mint-token'
  | `view:${ConsoleViewId}` | 'reload' | 'toggle-devtools'
  | 'docs' | 'about';

export interface MenuState {
  platform: NodeJS.Platform;
  development: boolean;
  /** The console watches the embedded cluster (not a remote one). */
  embedded: boolean;
  /** The console has a cluster to talk to (the embedded one runs, or a remote is set). */
  connected: boolean;
}

const sep: MenuItemSpec = { type: 'separator' };

export function buildMenus(state: MenuState, run: (command: MenuCommand) => void): MenuSpec[] {
  const item = (id: MenuCommand, label: string, extra: { accelerator?: string; enabled?: boolean } = {}): MenuItemSpec =>
    ({ type: 'item', id, label, ...extra, click: () => run(id) });
  const mac = state.platform === 'darwin';
  const live = { enabled: state.connected };

  const appMenu: MenuSpec = {
    label: 'Switchboard',
    role: 'appMenu',
    items: [item('about', 'About Switchboard'), sep, item('settings', 'Settings…', { accelerator: 'CmdOrCtrl+,' }), sep,
      { type: 'role', role: 'hide' }, { type: 'role', role: 'hideOthers' }, { type: 'role', role: 'unhide' }, sep,
      item('quit', 'Quit Switchboard', { accelerator: 'CmdOrCtrl+Q' })],
  };
  const file: MenuSpec = {
    label: 'File',
    items: [
      item('export-events', 'Export Events…', { accelerator: 'CmdOrCtrl+Shift+E', ...live }),
      ...(mac ? [] : [sep, item('settings', 'Settings…', { accelerator: 'CmdOrCtrl+,' }), sep, item('quit', 'Quit', { accelerator: 'CmdOrCtrl+Q' })]),
    ],
  };
  const edit: MenuSpec = {
    label: 'Edit',
    items: (['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'] as const).flatMap((role, i): MenuItemSpec[] =>
      i === 2 ? [sep, { type: 'role', role }] : [{ type: 'role', role }]),
  };
  const cluster: MenuSpec = {
    label: 'Cluster',
    items: [
      item('add-node', 'Add Node', { accelerator: 'CmdOrCtrl+Shift+N', ...live }),
      item('restart-cluster', 'Restart Cluster', { enabled: state.embedded }),
      sep,
      item('open-in-browser', 'Open the Console in a Browser', live),
      item('copy-client-url', 'Copy Client URL', live),
      item('mint-token', 'Mint a Token for "demo" and Copy It', live),
      sep,
      item('settings', mac ? 'Cluster Settings…' : 'Cluster Settings and Remote Cluster…'),
    ],
  };
  const view: MenuSpec = {
    label: 'View',
    items: [
      ...CONSOLE_VIEWS.map((v) => item(`view:${v.id}`, v.label, { accelerator: `CmdOrCtrl+${v.key}` })),
      sep,
      item('reload', 'Reload', { accelerator: 'CmdOrCtrl+R' }),
      ...(state.development ? [item('toggle-devtools', 'Toggle Developer Tools', { accelerator: mac ? 'Alt+Cmd+I' : 'Ctrl+Shift+I' })] : []),
      sep,
      { type: 'role', role: 'togglefullscreen' },
    ],
  };
  const help: MenuSpec = {
    label: 'Help',
    items: [item('docs', 'Documentation'), ...(mac ? [] : [item('about', 'About Switchboard')])],
  };
  return [...(mac ? [appMenu] : []), file, edit, cluster, view, help];
}
