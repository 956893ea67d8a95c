/**
 * The real centrifuge-js browser build (node_modules/centrifuge/dist/centrifuge.js, the UMD bundle
 * a page loads with a script tag) running in Debian's Chromium, launched as console-session.ts
 * launches it. A tiny page server (node:http, 127.0.0.1, port 0) serves the page, the bundle and a
 * harness script; the page's origin is what the cluster must allow (`client.allowed_origins`), as a
 * web app of another origin would be. The harness records what the client sees (connects with
 * their transport, node and session, disconnects, errors, publications and subscribes per channel)
 * and the test reads it back with `page.evaluate`. Every wait is bounded.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { alive, waitFor } from '../../support/test-cluster.js';
import { eventually } from './console-pages.js';
import { CHROMIUM } from './console-session.js';

/** The same flags as console-session.ts. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export type TransportName = 'websocket' | 'http_stream' | 'sse';
export interface TransportEndpoint {
  transport: TransportName;
  endpoint: string;
}

export interface ConnectRecord {
  client: string;
  transport: string;
  /** The node and session of the connect reply (emulation only; '' over a WebSocket). */
  node: string;
  session: string;
}

export interface SubRecord {
  pubs: unknown[];
  subscribed: { wasRecovering: boolean; recovered: boolean }[];
  errors: { code: number; message: string }[];
}

export interface ClientState {
  connects: ConnectRecord[];
  disconnects: { code: number; reason: string }[];
  errors: { type: string; code?: number; message?: string; transport?: string }[];
  subs: Record<string, SubRecord>;
  /** The client's state: disconnected, connecting or connected. */
  state: string;
  /** The name of the transport in use, or null. */
  transport: string | null;
}

export type CallResult = { ok: true; data?: unknown } | { ok: false; code: number; message: string };

/** Runs in the page: one centrifuge client, its events recorded in plain JSON. */
const HARNESS = String.raw`
(() => {
  'use strict';
  const state = { connects: [], disconnects: [], errors: [], subs: {} };
  const subs = new Map();
  let client = null;
  const failure = (e) => ({ ok: false, code: e && typeof e.code === 'number' ? e.code : -1, message: String(e && e.message !== undefined ? e.message : e) });
  window.harness = {
    loaded: typeof Centrifuge === 'function',
    connect(transports, options) {
      client = new Centrifuge(transports, options);
      client.on('connected', (ctx) => state.connects.push({ client: ctx.client, transport: ctx.transport, node: client._node, session: client._session }));
      client.on('disconnected', (ctx) => state.disconnects.push({ code: ctx.code, reason: ctx.reason }));
      client.on('error', (ctx) => state.errors.push({ type: ctx.type, code: ctx.error && ctx.error.code, message: ctx.error && ctx.error.message, transport: ctx.transport }));
      client.connect();
    },
    subscribe(channel) {
      const sub = client.newSubscription(channel);
      const rec = { pubs: [], subscribed: [], errors: [] };
      state.subs[channel] = rec;
      sub.on('publication', (ctx) => rec.pubs.push(ctx.data));
      sub.on('subscribed', (ctx) => rec.subscribed.push({ wasRecovering: ctx.wasRecovering, recovered: ctx.recovered }));
      sub.on('error', (ctx) => rec.errors.push({ code: ctx.error.code, message: ctx.error.message }));
      subs.set(channel, sub);
      sub.subscribe();
    },
    publish(channel, data) {
      return subs.get(channel).publish(data).then(() => ({ ok: true }), failure);
    },
    presence(channel) {
      return subs.get(channel).presence().then((r) => ({ ok: true, data: Object.values(r.clients).map((info) => info.client) }), failure);
    },
    rpc(method, data) {
      return client.rpc(method, data).then((r) => ({ ok: true, data: r.data }), failure);
    },
    state() {
      const transport = client && client._transport ? client._transport.name() : null;
      return JSON.parse(JSON.stringify({ ...state, state: client ? client.state : 'disconnected', transport }));
    },
    disconnect() {
      if (client) client.disconnect();
    },
  };
})();
`;

const PAGE = '<!doctype html>\n<html><head><meta charset="utf-8"><title>centrifuge transports</title>'
  + '<script src="/centrifuge.js"></script><script src="/harness.js"></script></head><body>centrifuge-js in the browser</body></html>\n';

/** The page server: `/` (the page), `/centrifuge.js` (the npm bundle, unmodified), `/harness.js`. */
export class ClientPageServer {
  private constructor(private readonly server: Server, readonly origin: string) {}

  static async start(): Promise<ClientPageServer> {
    const require = createRequire(import.meta.url);
    // The package's main is build/index.js; its browser bundle is dist/centrifuge.js beside it.
    const bundle = await readFile(join(dirname(require.resolve('centrifuge')), '..', 'dist', 'centrifuge.js'));
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://page').pathname;
      const body = path === '/' ? PAGE : path === '/centrifuge.js' ? bundle : path === '/harness.js' ? HARNESS : null;
      if (body === null) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not here\n');
        return;
      }
      res.writeHead(200, {
        'content-type': path === '/' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
        'cache-control': 'no-store',
      }).end(body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new ClientPageServer(server, `http://127.0.0.1:${port}`);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Chromium with one context per client page; `close()` ends it and checks by pid that it is gone. */
export class ClientBrowser {
  private constructor(private readonly browser: Browser, readonly pid: number) {}

  static async launch(): Promise<ClientBrowser> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    try {
      const cdp = await browser.newBrowserCDPSession();
      const info = await cdp.send('SystemInfo.getProcessInfo') as { processInfo: { type: string; id: number }[] };
      await cdp.detach();
      const pid = info.processInfo.find((p) => p.type === 'browser')?.id;
      if (pid === undefined) throw new Error(`no browser process in ${JSON.stringify(info)}`);
      return new ClientBrowser(browser, pid);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  /** A new page (in a context of its own) at `url`, once the bundle and the harness have loaded. */
  async open(url: string): Promise<ClientPage> {
    const context = await this.browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const client = new ClientPage(context, page);
      await page.goto(url);
      if (await page.evaluate<boolean>('window.harness && window.harness.loaded') !== true) throw new Error('the centrifuge bundle or the harness did not load');
      return client;
    } catch (e) {
      await context.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    try {
      await waitFor(() => !alive(this.pid), { timeoutMs: 5000, what: `Chromium (pid ${this.pid}) to exit` });
    } catch {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // gone in the meantime
      }
    }
  }
}

/** One page with one centrifuge client, driven through the harness. */
export class ClientPage {
  /** Console messages of type error and uncaught page errors, in order. */
  readonly consoleErrors: string[] = [];

  constructor(private readonly context: BrowserContext, readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(`page error: ${e.message}`));
  }

  private call<T>(fn: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate<T>(`window.harness.${fn}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
  }

  /** Creates the client (absolute endpoints; quick reconnects) and starts connecting. */
  start(transports: TransportEndpoint[], options: { token: string; emulationEndpoint: string }): Promise<void> {
    return this.call('connect', transports, { ...options, minReconnectDelay: 100, maxReconnectDelay: 500 });
  }

  state(): Promise<ClientState> {
    return this.call<ClientState>('state');
  }

  /** Waits for the n-th connect (1-based) and answers it. */
  async connected(n = 1, timeoutMs = 10_000): Promise<ConnectRecord> {
    const s = await eventually(() => this.state(), (st) => st.connects.length >= n && st.state === 'connected', `connect #${n} of the page's client`, timeoutMs);
    return s.connects[n - 1]!;
  }

  subscribe(channel: string): Promise<void> {
    return this.call('subscribe', channel);
  }

  /** Waits for the n-th `subscribed` event of a channel (1-based) and answers it. */
  async subscribed(channel: string, n = 1, timeoutMs = 10_000): Promise<{ wasRecovering: boolean; recovered: boolean }> {
    const s = await eventually(() => this.state(), (st) => (st.subs[channel]?.subscribed.length ?? 0) >= n, `subscribe #${n} to ${channel}`, timeoutMs);
    return s.subs[channel]!.subscribed[n - 1]!;
  }

  /** Waits until a channel has at least `n` publications and answers them all. */
  async publications(channel: string, n: number, timeoutMs = 10_000): Promise<unknown[]> {
    const s = await eventually(() => this.state(), (st) => (st.subs[channel]?.pubs.length ?? 0) >= n, `${n} publications in ${channel}`, timeoutMs);
    return s.subs[channel]!.pubs;
  }

  publish(channel: string, data: unknown): Promise<CallResult> {
    return this.call('publish', channel, data);
  }

  presence(channel: string): Promise<CallResult> {
    return this.call('presence', channel);
  }

  rpc(method: string, data: unknown): Promise<CallResult> {
    return this.call('rpc', method, data);
  }

  /** Console errors that say the browser blocked an answer for CORS. */
  corsErrors(): string[] {
    return this.consoleErrors.filter((e) => /CORS|Access-Control/i.test(e));
  }

  /** Disconnects the client, then closes the page's context. */
  async close(): Promise<void> {
    await this.call('disconnect').catch(() => undefined);
    await this.context.close().catch(() => undefined);
  }
}
