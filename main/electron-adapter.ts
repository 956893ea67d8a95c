/**
 * The only main-process file that imports `electron` (TOOLCHAIN.md §1.4): DesktopPort implemented
 * with Electron's API, the `switchboard://` scheme, session hardening, and the app lifecycle
 * (single-instance lock, quit stops the cluster first). Everything it decides comes from
 * security.ts and desktop-app.ts, which the tests run under plain Node.
 */
import { BrowserWindow, Menu, Notification, app, clipboard, dialog, ipcMain, protocol, screen, session, shell } from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { serveAppRequest } from './app-protocol.js';
import { DesktopApp } from './desktop-app.js';
import type { DesktopPort, IpcSender, MenuItemSpec, MenuSpec, WindowEvents, WindowHandle, WindowSpec } from './desktop-port.js';
import { launchOverrides } from './launch-options.js';
import type { AppPaths } from './paths.js';
import { appPaths } from './paths.js';
import { APP_SCHEME, contentSecurityPolicy, permissionAllowed } from './security.js';

export const APP_ID = 'dev.switchboard.desktop';

function handleOf(win: BrowserWindow): WindowHandle {
  return {
    id: win.id,
    load: (url) => win.loadURL(url),
    reload: () => win.webContents.reload(),
    send: (channel, payload) => win.webContents.send(channel, payload),
    setTitle: (title) => win.setTitle(title),
    title: () => win.getTitle(),
    bounds: () => ({ ...win.getNormalBounds(), maximized: win.isMaximized() }),
    show: () => win.show(),
    maximize: () => win.maximize(),
    focus: () => {
      if (win.isMinimized()) win.restore();
      win.focus();
    },
    close: () => win.close(),
    isDestroyed: () => win.isDestroyed(),
    toggleDevTools: () => win.webContents.toggleDevTools(),
  };
}

function createWindow(spec: WindowSpec, events: WindowEvents): WindowHandle {
  const { parentId, ...options } = spec;
  const parent = parentId === undefined ? undefined : (BrowserWindow.fromId(parentId) ?? undefined);
  const win = new BrowserWindow({ ...options, parent });
  const contents = win.webContents;
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (!events.navigate(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => guard(event, event.url));
  contents.on('will-redirect', (event) => guard(event, event.url));
  contents.setWindowOpenHandler(({ url }) => {
    events.openWindow(url);
    return { action: 'deny' };
  });
  const moved = (): void => events.boundsChanged();
  win.on('resize', moved);
  win.on('move', moved);
  win.on('maximize', moved);
  win.on('unmaximize', moved);
  win.on('close', () => events.boundsChanged()); // the last bounds, read while the window still exists
  win.on('closed', () => events.closed());
  return handleOf(win);
}

function senderOf(event: IpcMainEvent | IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url ?? null,
    isMainFrame: frame !== null && frame.parent === null,
    windowId: BrowserWindow.fromWebContents(event.sender)?.id ?? null,
  };
}

const windowOf = (handle?: WindowHandle): BrowserWindow | undefined =>
  handle === undefined ? undefined : (BrowserWindow.fromId(handle.id) ?? undefined);

function toTemplate(item: MenuItemSpec): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator': return { type: 'separator' };
    case 'role': return { role: item.role };
    case 'item': return { id: item.id, label: item.label, accelerator: item.accelerator, enabled: item.enabled ?? true, click: () => item.click() };
  }
}

function menuTemplate(menus: MenuSpec[]): MenuItemConstructorOptions[] {
  return menus.map((m) => ({ label: m.label, role: m.role, submenu: m.items.map(toTemplate) }));
}

function electronPort(paths: AppPaths, onExit: () => void): DesktopPort {
  return {
    appVersion: app.getVersion(),
    userDataDir: app.getPath('userData'),
    development: !app.isPackaged,
    platform: process.platform,
    createWindow,
    handle(channel, kind, handler) {
      if (kind === 'sync') {
        ipcMain.on(channel, (event) => {
          try {
            event.returnValue = handler(senderOf(event), null);
          } catch {
            event.returnValue = null;
          }
        });
      } else {
        ipcMain.handle(channel, (event, payload: unknown) => handler(senderOf(event), payload));
      }
    },
    setMenu: (menus) => Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(menus))),
    async message(spec, parent) {
      const options = { type: spec.kind, title: spec.title, message: spec.message, detail: spec.detail, buttons: spec.buttons, defaultId: spec.defaultId, cancelId: spec.cancelId, noLink: true };
      const win = windowOf(parent);
      return (await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options))).response;
    },
    async chooseSavePath(defaultPath, parent) {
      const options = { defaultPath, filters: [{ name: 'NDJSON', extensions: ['ndjson'] }, { name: 'All Files', extensions: ['*'] }] };
      const win = windowOf(parent);
      const chosen = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
      return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
    },
    openExternal: (url) => shell.openExternal(url),
    async openPath(path) {
      await shell.openPath(path);
    },
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body, icon: paths.icon }).show();
    },
    // macOS dock and Linux launchers (Unity) show it; Windows has no badge count, so this answers false there.
    setBadge: (count) => app.setBadgeCount(count),
    copyText: (text) => clipboard.writeText(text),
    workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
    downloadsDir: () => app.getPath('downloads'),
    exit() {
      onExit();
      app.exit(0);
    },
  };
}

/** No webviews, no permission prompts, no new windows — for every webContents there is. */
function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionAllowed(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permissionAllowed(permission));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** The main process: called once by electron-main.ts. */
export function runDesktop(): void {
  const paths = appPaths();
  // The same folder in development and packaged (`electron .` would name it after package.json's "switchboard",
  // which is also the CLI's secrets folder on Linux).
  app.setPath('userData', process.env.SWITCHBOARD_USER_DATA || join(app.getPath('appData'), 'Switchboard'));
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let desktop: DesktopApp | undefined;
  let exiting = false;
  app.on('second-instance', () => desktop?.secondInstance());
  app.on('before-quit', (event) => {
    if (exiting || desktop === undefined) return;
    event.preventDefault();
    void desktop.quit();
  });
  app.on('window-all-closed', () => void desktop?.quit());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void (desktop ? desktop.quit() : app.exit(0)));
  void app.whenReady().then(async () => {
    hardenSessions();
    const port = electronPort(paths, () => { exiting = true; });
    const current = new DesktopApp(port, { paths, overrides: launchOverrides(process.argv.slice(1)) });
    desktop = current;
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, { console: paths.consoleDir, settings: paths.settingsDir },
      () => contentSecurityPolicy(current.boot().adminUrl || null)));
    await current.start();
  });
}
