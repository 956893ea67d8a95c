/**
 * A fleet started with `switchboard simulate` tells the cluster about itself: its latest status,
 * about once a second, to `POST /switchboard/fleet-status` beside the server API, with the API key
 * it already has — so the console's Simulator view shows it (read-only). Reporting never fails the
 * run: a server that does not know the route (an older one) or refuses the key is said once and
 * no longer asked; a server that cannot be reached is said once and tried again with the next status.
 */
import os from 'node:os';
import type { SimulatorStatus } from '../../shared/admin/simulator-model.js';
import { FLEET_STATUS_PATH, encodeFleetReport } from '../../shared/admin/external-fleet-model.js';

/** One report waits at most this long for its answer. */
const REPORT_TIMEOUT_MS = 2_000;
const HOST_MAX = 255;

export interface FleetReporterOptions {
  /** The server API the fleet uses (`http://host:port/api`): reports go beside it. */
  apiUrl: string;
  /** The server API key; empty for a cluster without one (`--insecure`). */
  apiKey: string;
  /** One line per kind of trouble, said once. */
  log: (line: string) => void;
  /** The line said once the first report is taken (default: nothing). */
  tell?: (line: string) => void;
}

export class FleetReporter {
  private readonly url: string;
  private readonly host = (os.hostname() || 'localhost').slice(0, HOST_MAX);
  /** The latest status not sent yet: a report not yet answered is never queued behind. */
  private next: SimulatorStatus | null = null;
  private sending: Promise<void> | null = null;
  /** The server cannot take reports (404, 401): it is not asked again. */
  private off = false;
  private readonly said = new Set<string>();

  constructor(private readonly opts: FleetReporterOptions) {
    this.url = fleetStatusUrl(opts.apiUrl);
  }

  /** Sends `status` as soon as the report before it is answered (a newer status replaces it). */
  report(status: SimulatorStatus): void {
    if (this.off) return;
    this.next = status;
    this.sending ??= this.drain().finally(() => (this.sending = null));
  }

  /** Resolves once the last status given has been sent (or given up on); bounded by the report timeout. */
  async settled(): Promise<void> {
    while (this.sending) await this.sending;
  }

  private async drain(): Promise<void> {
    while (this.next !== null && !this.off) {
      const status = this.next;
      this.next = null;
      await this.send(status);
    }
  }

  private async send(status: SimulatorStatus): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.opts.apiKey !== '') headers['x-api-key'] = this.opts.apiKey;
    try {
      const res = await fetch(this.url, {
        method: 'POST', headers, body: encodeFleetReport({ pid: process.pid, host: this.host, status }),
        signal: AbortSignal.timeout(REPORT_TIMEOUT_MS),
      });
      const text = res.ok ? '' : (await res.text()).trim().slice(0, 300);
      if (!res.ok) await res.body?.cancel().catch(() => undefined);
      this.answered(res.status, text);
    } catch (e) {
      this.once('unreachable', `could not report the fleet's status to ${this.url} (${e instanceof Error ? e.message : String(e)}); trying again with the next one`);
    }
  }

  private answered(status: number, text: string): void {
    if (status >= 200 && status < 300) {
      if (!this.said.has('ok')) this.opts.tell?.(`the cluster's console shows this fleet in its Simulator view (reports to ${this.url})`);
      this.said.add('ok');
      return;
    }
    if (status === 404 || status === 405) {
      this.off = true;
      this.once('unknown', `the server does not take fleet reports (${status} from ${this.url}: an older Switchboard, or not Switchboard): this fleet will not show in its console; the run goes on`);
      return;
    }
    if (status === 401 || status === 403) {
      this.off = true;
      this.once('refused', `the server refused the fleet's status report (${status}: is --api-key the cluster's?): this fleet will not show in its console; the run goes on`);
      return;
    }
    this.once(`status-${status}`, `the server answered the fleet's status report with ${status}${text === '' ? '' : `: ${text}`}`);
  }

  private once(kind: string, line: string): void {
    if (this.said.has(kind)) return;
    this.said.add(kind);
    this.opts.log(line);
  }
}

/** `http://h:p/api` → `http://h:p/switchboard/fleet-status`; an API behind a path prefix keeps it. */
export function fleetStatusUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  url.pathname = `${prefix}${FLEET_STATUS_PATH}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
