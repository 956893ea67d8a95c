/**
 * A fake DesktopPort for the main-process tests: records windows, loads, menus, dialogs,
 * notifications, clipboard and external links; answers dialogs from a queue. No Electron.
 */
import type { WindowBounds } from '../shared/desktop/desktop-settings.js';
import type {
  DesktopPort, IpcSender, MenuSpec, MessageSpec, RequestHandler, WindowEvents, WindowHandle, WindowSpec,
} from './desktop-port.js';
import { appUrl } from './security.js';
import type { AppHost } from './security.js';

export class FakeWindow implements WindowHandle {
  readonly loads: string[] = [];
  readonly sent: { channel: string; payload: unknown }[] = [];
  readonly titles: string[] = [];
  shown = false;
  maximized = false;
  devTools = 0;
  reloads = 0;
  destroyed = false;
  box: WindowBounds;

  constructor(readonly id: number, readonly spec: WindowSpec, readonly events: WindowEvents) {
    this.box = { x: spec.x, y: spec.y, width: spec.width, height: spec.height, maximized: false };
    this.titles.push(spec.title);
  }

  async load(url: string): Promise<void> {
    this.loads.push(url);
  }
  reload(): void { this.reloads++; }
  send(channel: string, payload: unknown): void { this.sent.push({ channel, payload }); }
  setTitle(title: string): void { this.titles.push(title); }
  title(): string { return this.titles.at(-1) ?? ''; }
  bounds(): WindowBounds { return { ...this.box }; }
  show(): void { this.shown = true; }
  maximize(): void { this.maximized = true; }
  focus(): void { this.shown = true; }
  isDestroyed(): boolean { return this.destroyed; }
  toggleDevTools(): void { this.devTools++; }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.events.closed();
  }

  /** What the main frame of this window, showing `host`, sends as an IPC sender. */
  sender(host: AppHost = 'console'): IpcSender {
    return { frameUrl: appUrl(host), isMainFrame: true, windowId: this.id };
  }
}

export class FakePort implements DesktopPort {
  readonly appVersion = '0.1.0-test';
  readonly development: boolean;
  readonly platform: NodeJS.Platform = 'linux';
  readonly windows: FakeWindow[] = [];
  readonly handlers = new Map<string, { kind: 'invoke' | 'sync'; handler: RequestHandler }>();
  readonly menus: MenuSpec[][] = [];
  readonly messages: MessageSpec[] = [];
  /** Button indexes the next dialogs answer; when empty, a dialog answers its cancel button. */
  readonly answers: number[] = [];
  readonly external: string[] = [];
  readonly opened: string[] = [];
  readonly notifications: { title: string; body: string }[] = [];
  /** Badge counts set, in order; `badgeSupported` false plays a platform without a badge (Windows). */
  readonly badges: number[] = [];
  badgeSupported = true;
  readonly clipboard: string[] = [];
  /** What the next save dialog answers (null = cancelled). */
  savePath: string | null = null;
  readonly saveDefaults: string[] = [];
  exits = 0;
  private nextId = 1;

  constructor(readonly userDataDir: string, options: { development?: boolean } = {}) {
    this.development = options.development ?? true;
  }

  createWindow(spec: WindowSpec, events: WindowEvents): FakeWindow {
    const win = new FakeWindow(this.nextId++, spec, events);
    this.windows.push(win);
    return win;
  }
  handle(channel: string, kind: 'invoke' | 'sync', handler: RequestHandler): void {
    this.handlers.set(channel, { kind, handler });
  }
  /** Calls a registered handler the way the adapter does. */
  async request(channel: string, sender: IpcSender, payload: unknown = null): Promise<unknown> {
    const entry = this.handlers.get(channel);
    if (!entry) throw new Error(`no handler for ${channel}`);
    return entry.handler(sender, payload);
  }
  setMenu(menus: MenuSpec[]): void { this.menus.push(menus); }
  async message(spec: MessageSpec): Promise<number> {
    this.messages.push(spec);
    return this.answers.shift() ?? spec.cancelId ?? 0;
  }
  async chooseSavePath(defaultPath: string): Promise<string | null> {
    this.saveDefaults.push(defaultPath);
    return this.savePath;
  }
  async openExternal(url: string): Promise<void> { this.external.push(url); }
  async openPath(path: string): Promise<void> { this.opened.push(path); }
  notify(title: string, body: string): void { this.notifications.push({ title, body }); }
  setBadge(count: number): boolean {
    this.badges.push(count);
    return this.badgeSupported;
  }
  copyText(text: string): void { this.clipboard.push(text); }
  workAreas(): { x: number; y: number; width: number; height: number }[] { return [{ x: 0, y: 0, width: 1920, height: 1080 }]; }
  downloadsDir(): string { return this.userDataDir; }
  exit(): void { this.exits++; }

  get consoleWindow(): FakeWindow | undefined {
    return this.windows.find((w) => w.loads.some((u) => u.startsWith(appUrl('console', ''))) && !w.destroyed);
  }
}

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True while a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
