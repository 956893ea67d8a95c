/**
 * Menu commands that talk to the cluster the console watches (embedded or remote) through its admin
 * API: export the events, add a node, mint a token, copy the client URL, open the console in a
 * browser. Each one ends in something the user sees: a file, the clipboard plus a notification,
 * or a message box saying what went wrong.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result } from '../shared/result.js';
import { ok } from '../shared/result.js';
import type { AdminTarget } from './admin-client.js';
import { allEvents, withAdmin } from './admin-client.js';
import { eventsFileName, eventsNdjson } from '../shared/admin/events-export.js';
import type { DesktopPort, WindowHandle } from './desktop-port.js';

export interface CommandContext {
  port: DesktopPort;
  /** The admin API the console watches; null while there is none. */
  target(): AdminTarget | null;
  /** The embedded cluster's console and client URLs when it runs (undefined for a remote one). */
  embedded(): { consoleUrl: string; clientUrl: string } | undefined;
  window(): WindowHandle | undefined;
}

/** The console of a remote admin API in a browser: `ws://h:p/admin` → `http://h:p/?token=…`. */
export function browserConsoleUrl(target: AdminTarget): string {
  const u = new URL(target.adminUrl);
  const scheme = u.protocol === 'wss:' ? 'https:' : 'http:';
  return `${scheme}//${u.host}/?token=${encodeURIComponent(target.adminToken)}`;
}

export class ClusterCommands {
  constructor(private readonly ctx: CommandContext) {}

  async exportEvents(now = new Date()): Promise<void> {
    const events = await this.admin((s) => allEvents(s));
    if (events === null) return;
    const path = await this.ctx.port.chooseSavePath(join(this.ctx.port.downloadsDir(), eventsFileName(now)), this.ctx.window());
    if (path === null) return;
    try {
      await writeFile(path, eventsNdjson(events));
      this.ctx.port.notify('Events exported', `${events.length} events saved to ${path}`);
    } catch (e) {
      await this.problem('The events could not be saved', (e as Error).message);
    }
  }

  async addNode(): Promise<void> {
    const added = await this.admin((s) => s.request('node.add', {}));
    if (added !== null) this.ctx.port.notify('Node added', `${added.node} is starting`);
  }

  async mintToken(): Promise<void> {
    const minted = await this.admin((s) => s.request('token.mint', { user: 'demo', ttlSeconds: 86_400 }));
    if (minted === null) return;
    this.ctx.port.copyText(minted.token);
    this.ctx.port.notify('Token copied', 'A connection token for user "demo", valid 24 h, is on the clipboard.');
  }

  async copyClientUrl(): Promise<void> {
    const known = this.ctx.embedded()?.clientUrl;
    const url = known ?? (await this.admin(async (s) => ok(s.hello.clientUrl)));
    if (url === null) return;
    this.ctx.port.copyText(url);
    this.ctx.port.notify('Client URL copied', url);
  }

  async openInBrowser(): Promise<void> {
    const target = this.ctx.target();
    const url = this.ctx.embedded()?.consoleUrl ?? (target ? browserConsoleUrl(target) : null);
    if (url === null) return this.problem('No cluster to open', 'Start the local cluster or attach to a remote one first.');
    await this.ctx.port.openExternal(url);
  }

  async about(): Promise<void> {
    const versions = process.versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
    const target = this.ctx.target();
    const where = target ? `Admin API: ${target.adminUrl}` : 'No cluster connected.';
    await this.ctx.port.message({
      kind: 'info', title: 'About Switchboard', message: `Switchboard ${this.ctx.port.appVersion}`,
      detail: `A real-time backend you can see.\n\n${where}\nElectron ${versions.electron ?? '–'} · Chromium ${versions.chrome ?? '–'} · Node ${versions.node}`,
      buttons: ['OK'],
    }, this.ctx.window());
  }

  /** Runs admin work against the current target; a failure becomes a message box and null. */
  private async admin<T>(work: Parameters<typeof withAdmin<T>>[1]): Promise<T | null> {
    const target = this.ctx.target();
    if (target === null) {
      await this.problem('No cluster to talk to', 'Start the local cluster or attach to a remote one first.');
      return null;
    }
    const result: Result<T, string> = await withAdmin(target, work);
    if (result.ok) return result.value;
    await this.problem('The cluster did not answer', result.error);
    return null;
  }

  private async problem(message: string, detail: string): Promise<void> {
    await this.ctx.port.message({ kind: 'warning', title: 'Switchboard', message, detail, buttons: ['OK'] }, this.ctx.window());
  }
}
