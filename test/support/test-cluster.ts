/**
 * A real cluster for integration tests: real node processes on 127.0.0.1 port 0, the real
 * `centrifuge` client over `ws`, raw sockets for protocol edge cases. `stop()` ends every client,
 * the cluster, and checks by pid that no node process is left.
 */
import { Centrifuge } from 'centrifuge';
import type { Options as CentrifugeOptions } from 'centrifuge';
import WebSocket from 'ws';
import type { ChannelSettings } from '../../shared/channels/channel-options.js';
import { defaultClusterConfig, mintConnectionToken, startCluster } from '../../embedded-server/index.js';
import type { ClusterConfig, ClusterHandle } from '../../embedded-server/index.js';

export interface TestClusterOptions extends Partial<Omit<ClusterConfig, 'client' | 'channels' | 'http' | 'admission'>> {
  client?: Partial<ClusterConfig['client']>;
  /** Merged over the defaults (only the fields given change). */
  http?: Partial<ClusterConfig['http']>;
  admission?: Partial<ClusterConfig['admission']>;
  channels?: Partial<ChannelSettings>;
}

export interface ApiReply {
  status: number;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: unknown;
}

export class TestCluster {
  /** Admin clients opened through `admin()`, closed by `stop()`. */
  private readonly admins = new Set<{ close(): void }>();
  private readonly clients = new Set<Centrifuge>();
  private readonly sockets = new Set<WebSocket>();

  constructor(readonly handle: ClusterHandle, readonly config: ClusterConfig) {}

  get url(): string {
    return this.handle.clientUrl;
  }

  /** A connection token for a user, signed with the cluster's secret. */
  token(user: string, extra: { ttlSeconds?: number; info?: unknown; channels?: string[] } = {}): Promise<string> {
    return mintConnectionToken({ secret: this.config.client.tokenHmacSecret, user, ...extra } as Parameters<typeof mintConnectionToken>[0]);
  }

  /** A centrifuge-js client for a user (not yet connected); `query` is appended to the URL. */
  async client(user: string, opts: Partial<CentrifugeOptions> & { query?: string } = {}): Promise<Centrifuge> {
    const { query, ...rest } = opts;
    const url = query ? `${this.url}?${query}` : this.url;
    const c = new Centrifuge(url, { websocket: WebSocket, token: await this.token(user), ...rest });
    c.on('error', () => undefined);
    this.clients.add(c);
    return c;
  }

  /** A raw WebSocket on the client port (path defaults to the endpoint); resolves once open. */
  raw(path = '/connection/websocket', protocols?: string[]): Promise<WebSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${this.handle.port}${path}`, protocols);
    this.sockets.add(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  }

  /** POST /api/<method> with the API key unless `key` says otherwise (null: no key). */
  async api(method: string, body: unknown, key: string | null = this.config.apiKey): Promise<ApiReply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers['x-api-key'] = key;
    const res = await fetch(`${this.handle.apiUrl}/${method}`, {
      method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed };
  }

  /** Node pids as the cluster reports them. */
  pids(): number[] {
    return this.handle.nodes().map((n) => n.pid);
  }

  /** Registers something with a close() to be closed by stop() (admin clients). */
  track<T extends { close(): void }>(thing: T): T {
    this.admins.add(thing);
    return thing;
  }

  async stop(): Promise<void> {
    for (const a of this.admins) a.close();
    for (const c of this.clients) c.disconnect();
    for (const ws of this.sockets) ws.terminate();
    const pids = this.pids();
    await this.handle.stop();
    await waitFor(() => pids.every((pid) => !alive(pid)), { timeoutMs: 5000, what: 'node processes to exit' });
  }
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const base = defaultClusterConfig();
  const { client, channels, http, admission, ...rest } = opts;
  const config: ClusterConfig = {
    ...base,
    statsIntervalMs: 250,
    restartBackoffMinMs: 100,
    ...rest,
    client: { ...base.client, ...client },
    http: { ...base.http, ...http },
    admission: { ...base.admission, ...admission },
    channels: { ...base.channels, ...channels },
  };
  return new TestCluster(await startCluster(config), config);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `check` is true; fails with what it waited for after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}`);
    await sleep(opts.intervalMs ?? 20);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with the first message (text) a raw socket receives, or its close. */
export function nextEvent(ws: WebSocket, timeoutMs = 5000): Promise<{ message?: string; close?: { code: number; reason: string } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message or close in time')), timeoutMs);
    const done = (v: { message?: string; close?: { code: number; reason: string } }): void => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(v);
    };
    const onMessage = (data: Buffer): void => done({ message: data.toString() });
    const onClose = (code: number, reason: Buffer): void => done({ close: { code, reason: reason.toString() } });
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

/** Resolves with the close code and reason of a raw socket (skipping messages). */
export function closed(ws: WebSocket, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === WebSocket.CLOSED) return reject(new Error('already closed'));
    const timer = setTimeout(() => reject(new Error('socket did not close in time')), timeoutMs);
    ws.once('close', (code: number, reason: Buffer) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}
