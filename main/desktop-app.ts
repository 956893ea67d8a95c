/**
 * The desktop app: hosts the cluster in a process of its own, opens one window on the built
 * console, keeps the settings, answers the pages, runs the menu. Written against DesktopPort only,
 * so all of it runs under plain Node with a fake port (the tests) and under Electron with
 * electron-adapter.ts. A cluster crash leaves the window up: it is told, and offers a restart.
 */
import type { ConsoleBoot } from '../shared/desktop/console-bridge.js';
import { SHOW_VIEW_CHANNEL } from '../shared/desktop/console-bridge.js';
import type { ClusterSettings, DesktopSettings, TargetSettings } from '../shared/desktop/desktop-settings.js';
import { DESKTOP_CLUSTER_DEFAULTS } from '../shared/desktop/desktop-settings.js';
import type { SaveSettingsResult, SettingsInput, SettingsSnapshot } from '../shared/desktop/settings-bridge.js';
import type { HostStartOptions } from '../shared/desktop/host-ipc.js';
import type { Result } from '../shared/result.js';
import { ok } from '../shared/result.js';
import type { AdminTarget } from './admin-client.js';
import { ClusterCommands } from './cluster-commands.js';
import type { DesktopPort, WindowEvents, WindowHandle } from './desktop-port.js';
import type { MenuCommand } from './menu.js';
import { buildMenus } from './menu.js';
import { registerPageRequests } from './page-requests.js';
import { reachRemoteTarget } from './remote-target.js';
import type { AppPaths } from './paths.js';
import type { AppHost } from './security.js';
import { appUrl, navigationGuard, secureWebPreferences } from './security.js';
import { SettingsStore, fitBounds } from './settings-store.js';
import type { HostExit } from './supervisor-host.js';
import { SupervisorHost } from './supervisor-host.js';

export interface DesktopOptions {
  paths: AppPaths;
  /** Cluster settings given on the command line: this launch only, never saved. */
  overrides?: Partial<ClusterSettings>;
  hostTimeouts?: { startTimeoutMs?: number; stopTimeoutMs?: number };
}

const BACKGROUND = '#0f172a';

export class DesktopApp {
  readonly host: SupervisorHost;
  readonly commands: ClusterCommands;
  private readonly store: SettingsStore;
  private settings: DesktopSettings;
  private overrides: Partial<ClusterSettings>;
  private consoleWindow: WindowHandle | undefined;
  private settingsWindow: WindowHandle | undefined;
  private target: AdminTarget | null = null;
  private boundsTimer: ReturnType<typeof setTimeout> | undefined;
  private shuttingDown: Promise<void> | null = null;

  constructor(private readonly port: DesktopPort, private readonly options: DesktopOptions) {
    this.store = new SettingsStore(port.userDataDir);
    this.settings = this.store.load();
    this.overrides = options.overrides ?? {};
    this.host = new SupervisorHost(options.paths.hostEntry, { ...options.hostTimeouts, crashed: (exit) => void this.onCrash(exit) });
    this.commands = new ClusterCommands({
      port,
      target: () => this.target,
      embedded: () => (this.settings.target.kind === 'embedded' && this.host.cluster) || undefined,
      window: () => this.consoleWindow,
    });
  }

  /** Registers the page handlers and the menu, connects to the cluster, opens the window. */
  async start(): Promise<void> {
    registerPageRequests({
      port: this.port,
      window: (host) => (host === 'console' ? this.consoleWindow : this.settingsWindow),
      boot: () => this.boot(),
      settings: () => this.snapshot(),
      saveSettings: (input) => this.saveSettings(input),
    });
    this.refreshMenu();
    await this.bringUp();
  }

  /** The values the console's preload hands to the page. */
  boot(): ConsoleBoot {
    return { adminUrl: this.target?.adminUrl ?? '', adminToken: this.target?.adminToken ?? '', appVersion: this.port.appVersion };
  }

  /** The cluster settings in effect: the saved ones with this launch's command line over them. */
  clusterSettings(): ClusterSettings {
    return { ...this.settings.cluster, ...this.overrides };
  }

  /** Connects (retrying as the user chooses) and shows the console. */
  async bringUp(): Promise<void> {
    for (;;) {
      const connected = await this.connect();
      if (connected.ok) return this.showConsole();
      const choice = await this.port.message({
        kind: 'error', title: 'Switchboard', message: 'The local cluster did not start', detail: connected.error,
        buttons: ['Try Again', 'Settings…', 'Quit'], defaultId: 0, cancelId: 2,
      }, this.consoleWindow);
      if (choice === 1) return this.openSettings();
      if (choice !== 0) return this.quit();
    }
  }

  async restartCluster(): Promise<void> {
    if (this.settings.target.kind !== 'embedded') return;
    await this.host.stop();
    await this.bringUp();
  }

  /** Stops the cluster and every child, saves the window; idempotent. */
  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      clearTimeout(this.boundsTimer);
      this.saveBounds();
      await this.host.stop();
      if (this.settingsWindow && !this.settingsWindow.isDestroyed()) this.settingsWindow.close();
    })();
    return this.shuttingDown;
  }

  async quit(): Promise<void> {
    await this.shutdown();
    this.port.exit();
  }

  /** Another launch was refused by the single-instance lock: bring this one forward. */
  secondInstance(): void {
    this.consoleWindow?.show();
    this.consoleWindow?.focus();
  }

  run(command: MenuCommand): void {
    void this.runCommand(command);
  }

  async runCommand(command: MenuCommand): Promise<void> {
    if (command.startsWith('view:')) return this.consoleWindow?.send(SHOW_VIEW_CHANNEL, command.slice(5));
    switch (command) {
      case 'export-events': return this.commands.exportEvents();
      case 'settings': return this.openSettings();
      case 'quit': return this.quit();
      case 'add-node': return this.commands.addNode();
      case 'restart-cluster': return this.restartCluster();
      case 'open-in-browser': return this.commands.openInBrowser();
      case 'copy-client-url': return this.commands.copyClientUrl();
      case 'mint-token': return this.commands.mintToken();
      case 'reload': return this.consoleWindow?.reload();
      case 'toggle-devtools': return this.port.development ? this.consoleWindow?.toggleDevTools() : undefined;
      case 'docs': return this.port.openPath(this.options.paths.readme);
      case 'about': return this.commands.about();
    }
  }

  async openSettings(): Promise<void> {
    if (this.settingsWindow && !this.settingsWindow.isDestroyed()) return this.settingsWindow.focus();
    const win = this.port.createWindow({
      title: 'Switchboard Settings', width: 620, height: 700, minWidth: 480, minHeight: 480, show: false,
      backgroundColor: BACKGROUND, icon: this.options.paths.icon, parentId: this.consoleWindow?.id, autoHideMenuBar: true,
      webPreferences: secureWebPreferences(this.options.paths.settingsPreload, this.port.development),
    }, this.windowEvents('settings', () => { this.settingsWindow = undefined; }));
    this.settingsWindow = win;
    await win.load(appUrl('settings'));
    win.show();
  }

  private async connect(): Promise<Result<AdminTarget, string>> {
    const target: TargetSettings = this.settings.target;
    if (target.kind === 'remote') {
      await this.host.stop();
      this.target = { adminUrl: target.adminUrl, adminToken: target.adminToken };
      return ok(this.target);
    }
    if (this.host.state === 'running' && this.host.cluster) return ok(this.target ?? this.host.cluster);
    const started = await this.host.start(this.hostOptions());
    this.refreshMenu();
    if (!started.ok) return started;
    this.target = { adminUrl: started.value.adminUrl, adminToken: started.value.adminToken };
    return ok(this.target);
  }

  private hostOptions(): HostStartOptions {
    return { ...this.clusterSettings(), consoleDir: this.options.paths.consoleDir };
  }

  /** Opens the console window the first time; later, reloads it so the preload hands over the new target. */
  private async showConsole(): Promise<void> {
    this.refreshMenu();
    const title = this.settings.target.kind === 'embedded'
      ? `Switchboard — local cluster (${this.clusterSettings().nodes} nodes)`
      : `Switchboard — ${this.settings.target.adminUrl}`;
    if (this.consoleWindow && !this.consoleWindow.isDestroyed()) {
      this.consoleWindow.setTitle(title);
      return this.consoleWindow.load(appUrl('console'));
    }
    const bounds = fitBounds(this.settings.window, this.port.workAreas());
    const win = this.port.createWindow({
      title, width: bounds.width, height: bounds.height, x: bounds.x, y: bounds.y, minWidth: 900, minHeight: 600,
      show: false, backgroundColor: BACKGROUND, icon: this.options.paths.icon,
      webPreferences: secureWebPreferences(this.options.paths.consolePreload, this.port.development),
    }, this.windowEvents('console', () => {
      this.consoleWindow = undefined;
      void this.quit();
    }));
    this.consoleWindow = win;
    await win.load(appUrl('console'));
    win.show();
    if (bounds.maximized) win.maximize();
  }

  /** Security's navigation answers, plus what the app itself follows: the console's bounds, closing. */
  private windowEvents(host: AppHost, closed: () => void): WindowEvents {
    return {
      ...navigationGuard(host, (url) => void this.port.openExternal(url)),
      boundsChanged: () => {
        if (host !== 'console') return;
        this.captureBounds();
        clearTimeout(this.boundsTimer);
        this.boundsTimer = setTimeout(() => this.saveBounds(), 500);
        this.boundsTimer.unref?.();
      },
      closed,
    };
  }

  /** Reads the console window's bounds while it exists (they are saved after it is gone). */
  private captureBounds(): void {
    const win = this.consoleWindow;
    if (win && !win.isDestroyed()) this.settings = { ...this.settings, window: win.bounds() };
  }

  private saveBounds(): void {
    this.captureBounds();
    this.store.save(this.settings);
  }

  private async onCrash(exit: HostExit): Promise<void> {
    this.refreshMenu();
    if (this.shuttingDown) return;
    const how = exit.signal ? `It was ended by ${exit.signal}` : `It exited with code ${exit.code}`;
    this.consoleWindow?.setTitle('Switchboard — the local cluster stopped');
    const choice = await this.port.message({
      kind: 'error', title: 'Switchboard', message: 'The local cluster stopped unexpectedly',
      detail: `${how}. The window stays open; restart the cluster to go on.${exit.lastOutput ? `\n\n${exit.lastOutput}` : ''}`,
      buttons: ['Restart Cluster', 'Settings…', 'Dismiss'], defaultId: 0, cancelId: 2,
    }, this.consoleWindow);
    if (choice === 0) await this.restartCluster();
    else if (choice === 1) await this.openSettings();
  }

  private snapshot(): SettingsSnapshot {
    const c = this.host.cluster;
    const status = this.settings.target.kind === 'remote'
      ? `Watching the remote cluster at ${this.settings.target.adminUrl}; the local cluster is stopped.`
      : c ? `The local cluster runs ${c.nodes} nodes: clients connect to ${c.clientUrl}.` : `The local cluster is ${this.host.state}.`;
    return { cluster: this.clusterSettings(), target: this.settings.target, status, defaults: { ...DESKTOP_CLUSTER_DEFAULTS } };
  }

  /** Saves what the settings page sent, then applies it (restarting the cluster when it changed). */
  private async saveSettings(input: SettingsInput): Promise<SaveSettingsResult> {
    let target: TargetSettings = { kind: 'embedded' };
    if (input.target.kind === 'remote') {
      const remote = await reachRemoteTarget(input.target.url, input.target.token);
      if (!remote.ok) return { ok: false, message: remote.error };
      target = { kind: 'remote', ...remote.value };
    }
    const before = JSON.stringify([this.clusterSettings(), this.settings.target]);
    this.overrides = {};
    this.settings = { ...this.settings, cluster: input.cluster, target };
    this.store.save(this.settings);
    if (JSON.stringify([this.clusterSettings(), target]) === before && (target.kind === 'remote' || this.host.state === 'running')) return { ok: true };
    await this.host.stop();
    const applied = await this.connect();
    if (!applied.ok) return { ok: false, message: `Saved, but ${applied.error}` };
    await this.showConsole();
    return { ok: true };
  }

  private refreshMenu(): void {
    this.port.setMenu(buildMenus({
      platform: this.port.platform,
      development: this.port.development,
      embedded: this.settings.target.kind === 'embedded',
      connected: this.settings.target.kind === 'remote' || this.host.state === 'running',
    }, (command) => this.run(command)));
  }
}

