/**
 * examples/proxy-backend, end to end, the way its README runs it: the example's server.mjs as a
 * child process (PORT=0, its URL read from its stdout) and `switchboard serve --config` as another,
 * with the example's config.json pointed at that backend. A user logs in through the example's
 * form; real centrifuge clients carry the session cookie on their WebSocket upgrade, as the
 * browser does, and everything they are told comes from the example's proxy handlers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Centrifuge } from 'centrifuge';
import type { Options as CentrifugeOptions, PublicationContext, Subscription } from 'centrifuge';
import WebSocket from 'ws';
import { startServe } from './support/serve-process.js';
import type { ServeProcess } from './support/serve-process.js';
import { sleep, waitFor } from './support/test-cluster.js';

const EXAMPLE = fileURLToPath(new URL('../examples/proxy-backend/', import.meta.url));
/** The page's origin in config.json's allowed_origins. */
const PAGE_ORIGIN = 'http://localhost:3000';

interface ExampleProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `node examples/proxy-backend/server.mjs` on 127.0.0.1, port 0; resolves once it printed its URL. */
async function startExample(): Promise<ExampleProcess> {
  const child = spawn(process.execPath, [path.join(EXAMPLE, 'server.mjs')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SWITCHBOARD_URL: 'ws://localhost:8000' },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    await waitFor(() => /listening on http:\/\/\S+/.test(output) || child.exitCode !== null, { what: 'the example to listen', timeoutMs: 10_000 });
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (url === undefined) throw new Error(`the example exited before listening:\n${output}`);
    return { child, url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** config.json with every proxy endpoint moved to `backend` (same paths), as a user would edit it for another port. */
function configFor(backend: string): unknown {
  const config = JSON.parse(readFileSync(path.join(EXAMPLE, 'config.json'), 'utf8')) as unknown;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(o)) {
      if (key === 'endpoint' && typeof v === 'string') {
        const url = new URL(v);
        o[key] = `${backend}${url.pathname}`;
      } else {
        walk(v);
      }
    }
  };
  walk(config);
  return config;
}

/** A WebSocket class that sends `headers` (a Cookie, an Origin) on its upgrade, as a browser would. */
function socketWith(headers: Record<string, string>): new (url: string, protocols?: string | string[]) => WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

describe('examples/proxy-backend with switchboard serve', { timeout: 120_000 }, () => {
  let example: ExampleProcess;
  let serve: ServeProcess;
  let dir: string;
  let annCookie: string;
  const clients: Centrifuge[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'example-proxy-backend-'));
    example = await startExample();
    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(configFor(example.url), null, 2));
    serve = await startServe(['--config', configFile, '--port', '0', '--admin-port', '0']);
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await serve?.stop();
    await example?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function client(headers: Record<string, string> = {}, opts: Partial<CentrifugeOptions> = {}): Centrifuge {
    const c = new Centrifuge(serve.clientUrl, { websocket: socketWith(headers), minReconnectDelay: 100, maxReconnectDelay: 300, ...opts });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  }

  function connected(c: Centrifuge): Promise<{ client: string }> {
    return new Promise((resolve, reject) => {
      c.once('connected', (ctx) => resolve(ctx));
      c.once('disconnected', (ctx) => reject(new Error(`disconnected ${ctx.code} ${ctx.reason}`)));
      c.connect();
    });
  }

  function disconnected(c: Centrifuge): Promise<{ code: number; reason: string }> {
    return new Promise((resolve) => {
      c.once('disconnected', (ctx) => resolve(ctx));
      c.connect();
    });
  }

  function subscribed(sub: Subscription): Promise<void> {
    return new Promise((resolve, reject) => {
      sub.once('subscribed', () => resolve());
      sub.once('unsubscribed', (ctx) => reject(new Error(`unsubscribed ${ctx.code} ${ctx.reason}`)));
      sub.subscribe();
    });
  }

  async function login(name: string): Promise<{ cookie: string; setCookie: string }> {
    const res = await fetch(`${example.url}/login`, { method: 'POST', body: new URLSearchParams({ name }), redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    const setCookie = res.headers.get('set-cookie') ?? '';
    const cookie = /^(session=[^;]+)/.exec(setCookie)?.[1];
    assert.ok(cookie, `a session cookie in "${setCookie}"`);
    return { cookie, setCookie };
  }

  /** A logged-in client subscribed to chat:lobby, with the publications it receives. */
  async function inLobby(cookie: string): Promise<{ c: Centrifuge; id: string; sub: Subscription; got: PublicationContext[] }> {
    const c = client({ cookie });
    const { client: id } = await connected(c);
    const sub = c.newSubscription('chat:lobby');
    const got: PublicationContext[] = [];
    sub.on('publication', (ctx) => got.push(ctx));
    await subscribed(sub);
    return { c, id, sub, got };
  }

  it('serves the login page; a login sets an HttpOnly, SameSite=Lax session cookie and the page then shows the chat', async () => {
    const anonymous = await (await fetch(`${example.url}/`)).text();
    assert.match(anonymous, /<form method="post" action="\/login">/);
    const refused = await fetch(`${example.url}/login`, { method: 'POST', body: new URLSearchParams({ name: '<script>' }), redirect: 'manual' });
    assert.equal(refused.status, 400);

    const { cookie, setCookie } = await login('Ann');
    annCookie = cookie;
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Lax/);
    assert.match(setCookie, /; Path=\//);
    const page = await (await fetch(`${example.url}/`, { headers: { cookie } })).text();
    assert.match(page, /Logged in as <b>Ann<\/b>/);
    assert.match(page, /"switchboardUrl":"ws:\/\/localhost:8000\/connection\/websocket"/, 'SWITCHBOARD_URL reaches the page');
    assert.match(page, /<script src="\/centrifuge.js"><\/script>/);
    const lib = await fetch(`${example.url}/centrifuge.js`);
    assert.equal(lib.status, 200);
    assert.match(lib.headers.get('content-type') ?? '', /javascript/);
    assert.match(await lib.text(), /globalThis\.Centrifuge=/);
  });

  it('disconnects a client without a valid session with 4501 "unauthorized", which is terminal', async () => {
    for (const headers of [{}, { cookie: 'session=not-a-session' }] as Record<string, string>[]) {
      const c = client(headers);
      const ctx = await disconnected(c);
      assert.equal(ctx.code, 4501);
      assert.equal(ctx.reason, 'unauthorized');
      await sleep(500);
      assert.equal(c.state, 'disconnected', 'no reconnect after a 45xx code');
    }
    assert.ok((example.output().match(/no valid session -> disconnect 4501/g) ?? []).length >= 2, 'the example\'s connect handler decided');
  });

  it('connects a logged-in client as the session\'s user and publishes a valid message with the author and time the backend stamped', async () => {
    const bob = await inLobby((await login('Bob')).cookie);
    const ann = await inLobby(annCookie);
    const before = Date.now();
    // The client claims another author: the publish proxy's result.data replaces what the client sent.
    await ann.sub.publish({ text: '  hello, lobby  ', author: 'mallory' });
    await waitFor(() => bob.got.length === 1 && ann.got.length === 1, { what: 'the publication at both subscribers', timeoutMs: 5000 });
    for (const { got } of [bob, ann]) {
      const pub = got[0]!;
      const data = pub.data as { text: string; author: string; time: string };
      assert.equal(data.text, 'hello, lobby');
      assert.equal(data.author, 'Ann');
      assert.deepEqual(Object.keys(data).sort(), ['author', 'text', 'time']);
      const stamped = Date.parse(data.time);
      assert.ok(stamped >= before - 1000 && stamped <= Date.now() + 1000, `time ${data.time} is the backend's now`);
      // Connected as that user, with the info the connect proxy returned.
      assert.equal(pub.info?.user, 'Ann');
      assert.equal(pub.info?.client, ann.id);
      assert.deepEqual(pub.info?.connInfo, { name: 'Ann' });
    }
  });

  it('refuses an empty or too long message with the backend\'s error 400, and publishes nothing', async () => {
    const bob = await inLobby((await login('Bob')).cookie);
    const ann = await inLobby(annCookie);
    const refusal = (e: { code: number; message: string }): boolean => e.code === 400 && e.message === 'text must be 1 to 500 characters';
    await assert.rejects(ann.sub.publish({ text: '' }), refusal);
    await assert.rejects(ann.sub.publish({ text: '   ' }), refusal);
    await assert.rejects(ann.sub.publish({ text: 'x'.repeat(501) }), refusal);
    await assert.rejects(ann.sub.publish({ note: 'no text at all' }), refusal);
    await ann.sub.publish({ text: 'x'.repeat(500) });
    await waitFor(() => bob.got.length === 1, { what: 'the 500-character message', timeoutMs: 5000 });
    assert.equal((bob.got[0]!.data as { text: string }).text.length, 500, 'only the valid message was published');
    await sleep(200);
    assert.equal(bob.got.length, 1);
  });

  it('answers the whoami RPC with the user, and an unknown method with error 404', async () => {
    const c = client({ cookie: annCookie });
    const { client: id } = await connected(c);
    const { data } = await c.rpc('whoami', {});
    assert.deepEqual(data, { user: 'Ann', client: id });
    await assert.rejects(c.rpc('nosuch', {}), (e: { code: number; message: string }) => e.code === 404 && e.message === 'unknown method "nosuch"');
  });

  it('lets the browser page\'s origin in and refuses another origin (client.allowed_origins)', async () => {
    const upgrade = (origin: string): Promise<number> => new Promise((resolve, reject) => {
      const ws = new WebSocket(serve.clientUrl, { headers: { origin, cookie: annCookie } });
      ws.once('open', () => { ws.close(); resolve(101); });
      ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
      ws.once('error', (e) => reject(e));
    });
    assert.equal(await upgrade(PAGE_ORIGIN), 101);
    assert.equal(await upgrade('http://localhost:5173'), 403);
    const c = client({ cookie: annCookie, origin: PAGE_ORIGIN });
    await connected(c);
  });

  it('refuses the cookie of a session that logged out', async () => {
    const { cookie } = await login('Cy');
    await connected(client({ cookie }));
    const res = await fetch(`${example.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('set-cookie') ?? '', /^session=; .*Max-Age=0/);
    const ctx = await disconnected(client({ cookie }));
    assert.equal(ctx.code, 4501);
  });
});
