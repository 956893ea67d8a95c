/**
 * Issue 13, end to end: the Overview's Proxies card shows the health of every backend proxy the
 * config names — calls and errors per second with the error share, p99 latency as its bucket bound,
 * totals — as real centrifuge clients connect through a connect proxy and call RPCs that a real
 * backend (test/support/proxy-backend.ts) answers, fails with HTTP 500, or leaves hanging past the
 * proxy's timeout. The totals match the backend's own count, survive a node restart, and a proxy
 * nobody calls shows 0/s and "—".
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { Centrifuge } from 'centrifuge';
import WebSocket from 'ws';
import { generateSecret, resolveConfig } from '../../embedded-server/index.js';
import type { AdminClient } from '../support/admin-client.js';
import { openAdmin } from '../support/admin-helpers.js';
import { ProxyBackend } from '../support/proxy-backend.js';
import type { Behaviour } from '../support/proxy-backend.js';
import { waitFor } from '../support/test-cluster.js';
import { ConsoleSession } from './support/console-session.js';
import { ConsoleUi, eventually } from './support/console-pages.js';
import { p99Bound, perSecond, ProxyPanel, sharePercent, totals } from './support/proxy-panel.js';
import type { ProxyPanelRow } from './support/proxy-panel.js';

const CONNECT = 'client.proxy.connect';
const RPC = 'rpc.proxy';
const BILLING = 'billing-rpc';
/** The RPC proxy's timeout: a hanging backend call fails after it, and lands in a slow latency bucket. */
const RPC_TIMEOUT_MS = 150;
const CLIENTS = 4;

describe('the Proxies card of the Overview', { timeout: 120_000 }, () => {
  let backend: ProxyBackend;
  let session: ConsoleSession;
  let ui: ConsoleUi;
  let panel: ProxyPanel;
  let admin: AdminClient;
  const clients: Centrifuge[] = [];
  /** What the backend did with each RPC call, in order. */
  const rpcAnswers: ('ok' | '500' | 'hang')[] = [];
  let connectsAnswered = 0;

  before(async () => {
    backend = await ProxyBackend.start();
    const b = backend.url;
    const file = {
      client: { proxy: { connect: { enabled: true, endpoint: `${b}/connect`, timeout: '1s' } } },
      rpc: {
        proxy: { endpoint: `${b}/rpc`, timeout: `${RPC_TIMEOUT_MS}ms` },
        without_namespace: { proxy_enabled: true },
        namespaces: [{ name: 'billing', proxy_enabled: true, proxy_name: BILLING }],
      },
      proxies: [{ name: BILLING, endpoint: `${b}/billing`, timeout: '1s' }],
    };
    const resolved = resolveConfig(file, { port: 0, adminPort: 0 }, { tokenSecret: generateSecret(), apiKey: generateSecret() });
    if (!resolved.ok) throw new Error(resolved.error.join('\n'));
    const c = resolved.value.config;
    backend.answer('/connect', () => ({ body: { result: { user: `user-${++connectsAnswered}` } } }));
    // Every 3rd call fails with HTTP 500, every 7th other one hangs past the timeout; the rest succeed.
    backend.answer('/rpc', (): Behaviour => {
      const k = rpcAnswers.length + 1;
      const answer = k % 3 === 0 ? '500' : k % 7 === 0 ? 'hang' : 'ok';
      rpcAnswers.push(answer);
      if (answer === '500') return { status: 500, body: { error: 'backend failure' } };
      return answer === 'hang' ? 'hang' : { body: { result: { data: { k } } } };
    });
    session = await ConsoleSession.start({ nodes: 2, client: c.client, channels: c.channels, proxies: c.proxies });
    ui = new ConsoleUi(session.page);
    panel = new ProxyPanel(session.page);
    admin = await openAdmin(session.cluster);
  });

  after(async () => {
    for (const c of clients) c.disconnect();
    await session?.stop();
    await backend?.stop();
  });

  /** A real centrifuge client without a token: the connect proxy names its user. */
  async function connectClient(): Promise<Centrifuge> {
    const c = new Centrifuge(session.cluster.url, { websocket: WebSocket, minReconnectDelay: 100, maxReconnectDelay: 500 });
    c.on('error', () => undefined);
    clients.push(c);
    const connected = new Promise<void>((resolve) => c.once('connected', () => resolve()));
    c.connect();
    await connected;
    return c;
  }

  const failedRpcs = (): number => rpcAnswers.filter((a) => a !== 'ok').length;

  /** Waits until the row of `name` satisfies `check`; answers it. */
  function rowWhere(name: string, check: (r: ProxyPanelRow) => boolean, what: string, timeoutMs = 10_000): Promise<ProxyPanelRow> {
    return eventually(() => panel.row(name), (r) => r !== undefined && check(r), what, timeoutMs) as Promise<ProxyPanelRow>;
  }

  it('lists every configured proxy, in config order, with its endpoint, 0/s and "—" before any call', async () => {
    await ui.open('Overview');
    const rows = await eventually(() => panel.rows(), (r) => r.length === 3, 'three proxy rows');
    assert.deepEqual(rows.map((r) => [r.name, r.endpoint]), [
      [CONNECT, `${backend.url}/connect`],
      [RPC, `${backend.url}/rpc`],
      [BILLING, `${backend.url}/billing`],
    ]);
    for (const r of rows) {
      assert.deepEqual([r.calls, r.errors, r.share, r.p99, r.totalCalls, r.totalFailed], ['0/s', '0/s', '—', '—', '0 calls', '0 failed'], r.name);
    }
  });

  it('counts each connect of a real client once on the connect proxy, as the backend saw it', async () => {
    for (let i = 0; i < CLIENTS; i++) await connectClient();
    assert.equal(backend.callsTo('/connect').length, CLIENTS);
    await rowWhere(CONNECT, (r) => r.totalCalls === `${CLIENTS} calls` && r.totalFailed === '0 failed', `the connect proxy to show ${CLIENTS} calls`);
  });

  it('shows RPC calls and failures per second, the failure share and the p99 bucket of the hanging calls while clients call', async () => {
    let calling = true;
    const loops = clients.map(async (c) => {
      while (calling) {
        await c.rpc('sum', { a: 1, b: 2 }).catch(() => undefined); // failures answer error 100: counted, not thrown here
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    try {
      const busy = await rowWhere(RPC, (r) => perSecond(r.calls) > 0 && perSecond(r.errors) > 0 && (p99Bound(r.p99) ?? 0) >= RPC_TIMEOUT_MS,
        'the RPC proxy to show calls, errors and a p99 of the hanging calls');
      assert.ok(perSecond(busy.errors) <= perSecond(busy.calls), `errors ${busy.errors} within calls ${busy.calls}`);
      const share = sharePercent(busy.share);
      assert.ok(share > 0 && share <= 100, `an error share is shown: ${busy.share}`);
      assert.match(busy.p99, /^(≤|>) [\d,]+ ms$/, 'the p99 is a bucket bound');
      // Nobody calls the billing proxy: still nothing to show for it.
      assert.deepEqual(await panel.row(BILLING), {
        name: BILLING, endpoint: `${backend.url}/billing`, calls: '0/s', errors: '0/s', share: '—', p99: '—', totalCalls: '0 calls', totalFailed: '0 failed',
      });
      await eventually(() => panel.row(RPC), (r) => r !== undefined && perSecond(r.calls) > 0 && r.p99 !== '—', 'a busy RPC row for the screenshot');
      mkdirSync('test-results', { recursive: true });
      await panel.card().screenshot({ path: 'test-results/proxy-health.png', animations: 'disabled' });
      await session.shot('proxy-health-overview');
      // The narrowest window the console is laid out for: every figure still fits its column.
      const size = session.page.viewportSize()!;
      await session.page.setViewportSize({ width: 1024, height: size.height });
      try {
        assert.deepEqual(await panel.overflowing(), [], 'every header and figure fits at 1,024 px');
        await panel.card().screenshot({ path: 'test-results/screenshots/proxy-health-1024.png', animations: 'disabled' });
      } finally {
        await session.page.setViewportSize(size);
      }
    } finally {
      calling = false;
      await Promise.all(loops);
    }
  });

  it('matches the backend\'s count of RPC calls and failures once the clients stop, and its rates fall back to 0/s and "—"', async () => {
    // A hanging call is counted by the node when its timeout fires, after the client gave up waiting on it.
    await waitFor(() => backend.callsTo('/rpc').length === rpcAnswers.length, { what: 'the backend to record every RPC call' });
    const calls = rpcAnswers.length;
    const failures = failedRpcs();
    assert.ok(calls >= 20 && failures >= 5, `${calls} calls, ${failures} failed`);
    const idle = await rowWhere(RPC, (r) => r.calls === '0/s' && isDeepStrictEqual(totals(r), { calls, failures }),
      `the RPC proxy to show ${calls} calls, ${failures} failed, and no call now`);
    assert.deepEqual([idle.errors, idle.share, idle.p99], ['0/s', '—', '—']);
    const snapshot = admin.snapshot.proxies.find((p) => p.name === RPC)!;
    assert.deepEqual({ calls: snapshot.calls, failures: snapshot.failures }, totals(idle), 'the card shows the admin snapshot\'s totals');
  });

  it('keeps every proxy\'s totals when a node is killed and restarted, and counts its clients\' reconnects', async () => {
    const rpcBefore = totals((await panel.row(RPC))!);
    const victim = admin.snapshot.nodes.find((n) => n.connections > 0)!.id;
    const restarts = admin.snapshot.nodes.find((n) => n.id === victim)!.restarts;
    await admin.request('node.kill', { node: victim });
    await admin.snapshotWhere((s) => s.nodes.some((n) => n.id === victim && n.restarts === restarts + 1 && n.state === 'healthy'), 15_000, `${victim} to be back`);
    await waitFor(() => clients.every((c) => c.state === 'connected'), { timeoutMs: 10_000, what: 'every client to be connected again' });
    const connects = backend.callsTo('/connect').length;
    assert.ok(connects > CLIENTS, `the killed node's clients reconnected through the connect proxy (${connects} connects)`);
    await rowWhere(CONNECT, (r) => isDeepStrictEqual(totals(r), { calls: connects, failures: 0 }), `the connect proxy to show ${connects} calls, the killed node's included`);
    assert.deepEqual(totals((await panel.row(RPC))!), rpcBefore, 'the RPC totals of the killed node stay');
  });
});

describe('the Proxies card without proxies', { timeout: 60_000 }, () => {
  let session: ConsoleSession;

  before(async () => {
    session = await ConsoleSession.start({ nodes: 1 });
  });

  after(async () => {
    await session?.stop();
  });

  it('says no proxy is configured and names the config sections that configure them', async () => {
    await new ConsoleUi(session.page).open('Overview');
    const panel = new ProxyPanel(session.page);
    const text = await eventually(() => panel.emptyText(), (t) => t !== '', 'the empty Proxies card');
    assert.match(text, /^No proxies are configured\./);
    for (const section of ['client.proxy', 'channel.proxy', 'rpc.proxy', 'proxies']) assert.ok(text.includes(` ${section}`), `names ${section}: ${text}`);
    assert.deepEqual(await panel.rows(), []);
    await panel.card().screenshot({ path: 'test-results/screenshots/proxy-health-empty.png', animations: 'disabled' });
  });
});
