/**
 * The narrow interface between the desktop logic and Electron. Everything in main/ except
 * electron-adapter.ts is written against it, so it runs under plain Node with a fake (TOOLCHAIN.md
 * §1.4: nothing that tests load imports `electron`). The adapter implements it in a few lines each.
 */
import type { WindowBounds } from '../shared/desktop/desktop-settings.js';

/** Exactly the BrowserWindow options the app uses (the adapter passes them on unchanged). */
export interface WindowSpec {
  title: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  backgroundColor: string;
  /** The window icon (Linux/Windows; macOS takes the bundle's). */
  icon?: string;
  /** A child window (settings) names its parent's id. */
  parentId?: number;
  modal?: boolean;
  autoHideMenuBar?: boolean;
  webPreferences: SecureWebPreferences;
}

/** The fixed security flags (STYLE.md §8), built once in security.ts. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: false;
  devTools: boolean;
}

/** What a window reports to the app. Navigation answers: true lets it happen. */
export interface WindowEvents {
  /** A main-frame navigation or redirect is about to happen. */
  navigate(url: string): boolean;
  /** window.open / target=_blank: always refused as a window (external links open in the browser). */
  openWindow(url: string): void;
  boundsChanged(): void;
  closed(): void;
}

export interface WindowHandle {
  readonly id: number;
  /** Loads an app URL (switchboard://…). */
  load(url: string): Promise<void>;
  reload(): void;
  /** Main → preload message (the preload decides what it does with it). */
  send(channel: string, payload: unknown): void;
  setTitle(title: string): void;
  /** The window's current title. */
  title(): string;
  bounds(): WindowBounds;
  show(): void;
  maximize(): void;
  focus(): void;
  close(): void;
  isDestroyed(): boolean;
  toggleDevTools(): void;
}

/** Who sent an IPC message: its frame (null once the frame is gone) and window. */
export interface IpcSender {
  /** The sending frame's URL. */
  frameUrl: string | null;
  /** False for a subframe (an iframe), which the app never trusts. */
  isMainFrame: boolean;
  /** The BrowserWindow id of the sending webContents, null when it has none. */
  windowId: number | null;
}

/** A menu, as plain data: the adapter turns it into Electron's template. */
export type MenuItemSpec =
  | { type: 'separator' }
  | { type: 'role'; role: 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'minimize' | 'togglefullscreen' | 'about' | 'hide' | 'unhide' | 'hideOthers' }
  | { type: 'item'; id: string; label: string; accelerator?: string; enabled?: boolean; click(): void };

export interface MenuSpec {
  label: string;
  /** macOS puts the first menu under the app's name. */
  role?: 'appMenu';
  items: MenuItemSpec[];
}

export interface MessageSpec {
  kind: 'info' | 'warning' | 'error';
  title: string;
  message: string;
  detail?: string;
  buttons: string[];
  /** Index of the button Enter chooses. */
  defaultId?: number;
  /** Index of the button Esc chooses. */
  cancelId?: number;
}

export type RequestHandler = (sender: IpcSender, payload: unknown) => unknown;

export interface DesktopPort {
  readonly appVersion: string;
  /** app.getPath('userData'). */
  readonly userDataDir: string;
  /** Not packaged: dev tools may open. */
  readonly development: boolean;
  readonly platform: NodeJS.Platform;
  createWindow(spec: WindowSpec, events: WindowEvents): WindowHandle;
  /** ipcMain.handle for invoke channels; ipcMain.on + returnValue for the synchronous one. */
  handle(channel: string, kind: 'invoke' | 'sync', handler: RequestHandler): void;
  setMenu(menus: MenuSpec[]): void;
  /** Shows a message box (attached to `parent` when given); resolves with the button index. */
  message(spec: MessageSpec, parent?: WindowHandle): Promise<number>;
  /** A save dialog; null when cancelled. */
  chooseSavePath(defaultPath: string, parent?: WindowHandle): Promise<string | null>;
  openExternal(url: string): Promise<void>;
  /** Opens a file on disk with its default application (the README). */
  openPath(path: string): Promise<void>;
  notify(title: string, body: string): void;
  /** The app's dock/taskbar badge count (0 clears it); false where the platform shows no badge. */
  setBadge(count: number): boolean;
  copyText(text: string): void;
  /** The displays' work areas, to keep a restored window on screen. */
  workAreas(): { x: number; y: number; width: number; height: number }[];
  /** The folder exports default to. */
  downloadsDir(): string;
  /** Ends the app (after the app's own shutdown ran). */
  exit(): void;
}
