import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import type { AdminEvent, ChannelActivity } from '../../shared/admin/admin-model.js';
import type { AdminServer } from './admin-server.js';
import { startAdminServer } from './admin-server.js';
import { DESKTOP_CONSOLE_ORIGIN } from '../../shared/desktop/app-origin.js';
import { serveConsole } from './console-assets.js';
import { adminClient, eventually, maskedTextFrame, recordingBackend, refusedStatus, snapshot } from './admin-server.test-helper.js';

const TOKEN = 'per-launch-token';
const event = (seq: number): AdminEvent => ({ seq, at: seq, type: 'node.started', node: 'node-1', pid: 100 + seq });

describe('admin server', () => {
  const { backend, rec, emitSnapshot, emitEvents } = recordingBackend();
  const logLines: string[] = [];
  let server: AdminServer;
  let authed: string;

  before(async () => {
    server = await startAdminServer({
      host: '127.0.0.1', port: 0, token: TOKEN, backend, log: (l) => logLines.push(l),
      http: (req, res) => req.url === '/console' && (res.end('console'), true),
    });
    authed = `${server.url}?token=${TOKEN}`;
  });
  after(() => server.stop());

  it('listens on the port the OS chose and names the /admin url', () => {
    assert.ok(server.port > 0);
    assert.equal(server.url, `ws://127.0.0.1:${server.port}/admin`);
  });

  it('refuses a missing or wrong token with HTTP 401 at the upgrade', async () => {
    assert.equal(await refusedStatus(server.url), 401);
    assert.equal(await refusedStatus(`${server.url}?token=wrong`), 401);
    assert.equal(await refusedStatus(server.url, { headers: { Authorization: 'Bearer wrong' } }), 401);
    assert.equal(await refusedStatus(server.url, { headers: { Authorization: TOKEN } }), 401);
  });

  it('answers 404 to other paths, for upgrades and plain requests, after the http hook declines', async () => {
    assert.equal(await refusedStatus(`ws://127.0.0.1:${server.port}/other?token=${TOKEN}`), 404);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/nothing`)).status, 404);
    const hooked = await fetch(`http://127.0.0.1:${server.port}/console`);
    assert.deepEqual([hooked.status, await hooked.text()], [200, 'console']);
  });

  it('accepts the token as a query parameter or an Authorization Bearer header', async () => {
    const byQuery = await adminClient(authed);
    const byHeader = await adminClient(server.url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await eventually(() => server.connections() >= 2, 'both connections counted');
    byQuery.ws.close();
    byHeader.ws.close();
    await Promise.all([byQuery.closed, byHeader.closed]);
  });

  it('pushes hello, series and snapshot first, in that order, naming the connection admin-N (address)', async () => {
    const c = await adminClient(authed);
    await eventually(() => c.frames.length >= 3, 'three pushes');
    assert.deepEqual(c.frames.map((f) => ('push' in f ? f.push : 'answer')), ['hello', 'series', 'snapshot']);
    const hello = await c.push('hello');
    assert.match(hello.data.you, /^admin-\d+ \(127\.0\.0\.1\)$/);
    assert.equal(hello.data.you, rec.hellos.at(-1));
    assert.deepEqual(await c.push('series'), { push: 'series', data: backend.series() });
    assert.deepEqual(await c.push('snapshot'), { push: 'snapshot', data: backend.snapshot() });
    c.ws.close();
  });

  it('answers a malformed frame, an unknown method and invalid params with error frames and stays usable', async () => {
    const c = await adminClient(authed);
    c.ws.send('{not json');
    assert.deepEqual(await c.take((f) => 'error' in f, 'malformed error'), { id: null, error: { code: 400, message: 'malformed JSON' } });
    c.ws.send(JSON.stringify({ id: 41, method: 'node.explode', params: {} }));
    const unknown = await c.take((f) => 'id' in f && f.id === 41, 'unknown-method error');
    assert.ok('error' in unknown && unknown.error.code === 404);
    c.ws.send(JSON.stringify({ id: 42, method: 'node.hang', params: { node: 'node-1', seconds: 0 } }));
    const invalid = await c.take((f) => 'id' in f && f.id === 42, 'invalid-params error');
    assert.ok('error' in invalid && invalid.error.code === 400);
    assert.match(invalid.error.message, /seconds/);
    c.ws.send(Buffer.from('{"id":43}'), { binary: true });
    const binary = await c.take((f) => 'error' in f && f.id === null, 'binary error');
    assert.ok('error' in binary && binary.error.code === 400);
    assert.deepEqual(await c.request('node.kill', { node: 'node-1' }), { id: 1, result: {} });
    c.ws.close();
  });

  it('relays call results and errors with the request id, with params as validated and the connection as who', async () => {
    const c = await adminClient(authed);
    const hello = await c.push('hello');
    assert.deepEqual(await c.request('connections.query', {}), { id: 1, result: { total: 0, offset: 0, items: [] } });
    assert.deepEqual(rec.calls.at(-1), {
      method: 'connections.query',
      params: { filter: {}, sort: { by: 'connectedAt', dir: 'asc' }, offset: 0, limit: 100 },
      who: hello.data.you,
    });
    assert.deepEqual(await c.request('node.restart', { node: 'n9' }), { id: 2, error: { code: 404, message: 'no such node: n9' } });
    c.ws.close();
  });

  it('answers a backend exception with 500 internal error, logs it, and keeps serving', async () => {
    const c = await adminClient(authed);
    assert.deepEqual(await c.request('node.add', {}), { id: 1, error: { code: 500, message: 'internal error' } });
    assert.ok(logLines.some((l) => l.includes('node.add') && l.includes('backend exploded')));
    assert.deepEqual(await c.request('node.kill', { node: 'node-1' }), { id: 2, result: {} });
    c.ws.close();
  });

  it('relays watched channel activity, watches idempotently, and disposes on unwatch and on close', async () => {
    const c = await adminClient(authed);
    assert.deepEqual(await c.request('channel.watch', { channel: 'chat:a' }), { id: 1, result: {} });
    assert.deepEqual(await c.request('channel.watch', { channel: 'chat:a' }), { id: 2, result: {} });
    assert.deepEqual(rec.watchCalls.filter((ch) => ch === 'chat:a'), ['chat:a']);
    const items: ChannelActivity[] = [{ kind: 'pub', data: { text: 'hi' }, offset: 3, at: 5 }];
    rec.watches.get('chat:a')?.(items);
    assert.deepEqual(await c.push('channel.activity'), { push: 'channel.activity', data: { channel: 'chat:a', items } });
    assert.deepEqual(await c.request('channel.unwatch', { channel: 'chat:a' }), { id: 3, result: {} });
    assert.deepEqual(rec.unwatched, ['chat:a']);
    assert.deepEqual(await c.request('channel.unwatch', { channel: 'chat:a' }), { id: 4, result: {} });
    await c.request('channel.watch', { channel: 'chat:b' });
    c.ws.close();
    await eventually(() => rec.unwatched.includes('chat:b'), 'the watch of chat:b disposed on close');
    assert.equal(rec.watches.size, 0);
  });

  it('refuses a 21st watched channel with 409 but still accepts one already watched', async () => {
    const c = await adminClient(authed);
    for (let i = 0; i < 20; i++) assert.ok('result' in await c.request('channel.watch', { channel: `w:${i}` }));
    const over = await c.request('channel.watch', { channel: 'w:20' });
    assert.ok('error' in over && over.error.code === 409);
    assert.ok('result' in await c.request('channel.watch', { channel: 'w:3' }));
    c.ws.close();
    await eventually(() => rec.watches.size === 0, 'all 20 watches disposed on close');
  });

  it('fans each snapshot and event batch out to every open connection', async () => {
    const [a, b] = await Promise.all([adminClient(authed), adminClient(authed)]);
    await Promise.all([a.push('snapshot'), b.push('snapshot')]);
    assert.equal(rec.snapshotListeners.size, 1, 'one backend subscription for the whole server');
    emitSnapshot(snapshot(42));
    emitEvents([event(1), event(2)]);
    for (const c of [a, b]) {
      assert.deepEqual(await c.push('snapshot'), { push: 'snapshot', data: snapshot(42) });
      assert.deepEqual(await c.push('events'), { push: 'events', data: [event(1), event(2)] });
    }
    a.ws.close();
    b.ws.close();
  });

  it('closes a connection that sends more than 1 MiB in one message with 1009', async () => {
    const c = await adminClient(authed);
    c.ws.send('x'.repeat(1024 * 1024 + 1));
    assert.equal(await c.closed, 1009);
  });

  it('skips snapshots to a client with more than 8 MiB unsent, but still answers its requests', async () => {
    const hellosBefore = rec.hellos.length;
    const raw = tcpConnect(server.port, '127.0.0.1');
    raw.pause();
    raw.write(`GET /admin?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    await eventually(() => rec.hellos.length > hellosBefore, 'the raw client was accepted');
    const big = snapshot(7, 'n'.repeat(1024 * 1024));
    for (let i = 0; i < 60; i++) emitSnapshot(big);
    raw.write(maskedTextFrame(JSON.stringify({ id: 7, method: 'node.kill', params: { node: 'node-1' } })));
    let received = 0;
    let tail = '';
    raw.on('data', (chunk: Buffer) => {
      received += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-200);
    });
    raw.resume();
    await eventually(() => tail.includes('{"id":7,"result":{}}'), 'the answer arrived after the queued snapshots');
    assert.ok(received < 30 * 1024 * 1024, `received ${received} bytes for 60 MiB of snapshots`);
    console.log(`slow client received ${(received / 1048576).toFixed(1)} MiB of 60 MiB of snapshots`);
    raw.destroy();
  });
});

describe('admin server stop', () => {
  it('resolves every stop() with the same promise, closes clients with 1001 and unsubscribes from the backend', async () => {
    const { backend, rec } = recordingBackend();
    const server = await startAdminServer({ host: '127.0.0.1', port: 0, token: TOKEN, backend });
    const c = await adminClient(`${server.url}?token=${TOKEN}`);
    await c.request('channel.watch', { channel: 'chat:a' });
    const first = server.stop();
    assert.equal(server.stop(), first);
    await first;
    await server.stop();
    assert.equal(await c.closed, 1001);
    assert.equal(server.connections(), 0);
    assert.deepEqual(rec.unwatched, ['chat:a']);
    assert.equal(rec.snapshotListeners.size + rec.eventListeners.size, 0);
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/`));
  });

  it('reports the listening address and rejects an empty token or a taken port', async () => {
    const { backend } = recordingBackend();
    let heard = '';
    const server = await startAdminServer({ host: '127.0.0.1', port: 0, token: TOKEN, backend, onListening: (a) => (heard = a.url) });
    assert.equal(heard, server.url);
    await assert.rejects(startAdminServer({ host: '127.0.0.1', port: 0, token: '', backend }), /token/);
    await assert.rejects(startAdminServer({ host: '127.0.0.1', port: server.port, token: TOKEN, backend }), /EADDRINUSE/);
    await server.stop();
  });
});

describe('admin server: Host, Origin and deadlines', () => {
  const { backend } = recordingBackend();
  let server: AdminServer;
  let base: string;

  before(async () => {
    server = await startAdminServer({
      host: '127.0.0.1', port: 0, token: TOKEN, backend, log: () => undefined, requestTimeoutMs: 1000,
      http: serveConsole('/nonexistent-console-dir', TOKEN),
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.stop());

  it('refuses an admin WebSocket from a foreign page with 403, whatever the token', async () => {
    assert.equal(await refusedStatus(`${server.url}?token=${TOKEN}`, { origin: 'https://evil.example' }), 403);
    assert.equal(await refusedStatus(`${server.url}?token=${TOKEN}`, { origin: `http://localhost:${server.port + 1}` }), 403);
    assert.equal(await refusedStatus(`${server.url}?token=${TOKEN}`, { origin: 'null' }), 403);
  });

  it('accepts the admin WebSocket from the console this port serves, from the desktop app, and from tools without an Origin', async () => {
    for (const origin of [base, `http://localhost:${server.port}`, DESKTOP_CONSOLE_ORIGIN, undefined]) {
      const host = origin?.startsWith('http://localhost') ? `localhost:${server.port}` : undefined;
      const c = await adminClient(`${server.url}?token=${TOKEN}`, { ...(origin === undefined ? {} : { origin }), ...(host ? { headers: { host } } : {}) });
      c.ws.close();
      await c.closed;
    }
  });

  it('accepts a console origin listed in allowedOrigins, for the WebSocket and /auth-check, and no other', async () => {
    const elsewhere = 'http://127.0.0.1:5999';
    const listed = await startAdminServer({
      host: '127.0.0.1', port: 0, token: TOKEN, backend, log: () => undefined, allowedOrigins: [elsewhere],
      http: serveConsole('/nonexistent-console-dir', TOKEN, [elsewhere]),
    });
    try {
      const c = await adminClient(`${listed.url}?token=${TOKEN}`, { origin: elsewhere });
      c.ws.close();
      await c.closed;
      assert.equal(await refusedStatus(`${listed.url}?token=${TOKEN}`, { origin: 'http://127.0.0.1:6000' }), 403);
      const check = await fetch(`http://127.0.0.1:${listed.port}/auth-check`, { headers: { authorization: `Bearer ${TOKEN}`, origin: elsewhere } });
      assert.equal(check.headers.get('access-control-allow-origin'), elsewhere);
    } finally {
      await listed.stop();
    }
  });

  it('answers 421 to a foreign Host, for plain requests and upgrades alike', async () => {
    assert.equal(await refusedStatus(`${server.url}?token=${TOKEN}`, { headers: { host: 'rebind.evil.example' } }), 421);
    const answer = await new Promise<string>((resolve) => {
      const raw = tcpConnect(server.port, '127.0.0.1', () => raw.write('GET / HTTP/1.1\r\nHost: rebind.evil.example\r\nConnection: close\r\n\r\n'));
      let text = '';
      raw.on('data', (d: Buffer) => { text += d.toString(); });
      raw.on('close', () => resolve(text));
    });
    assert.match(answer, /^HTTP\/1\.1 421 [^]*does not answer for host "rebind\.evil\.example"/);
  });

  it('answers /auth-check without a wildcard CORS header, naming only the desktop app origin', async () => {
    const foreign = await fetch(`${base}/auth-check`, { headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${base}/auth-check`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const desktop = await fetch(`${base}/auth-check`, { headers: { authorization: 'Bearer wrong', origin: DESKTOP_CONSOLE_ORIGIN } });
    assert.equal(desktop.status, 401);
    assert.equal(desktop.headers.get('access-control-allow-origin'), DESKTOP_CONSOLE_ORIGIN);
  });

  it('refuses plain requests from a foreign page with 403 before any handler, whatever the method, path or token', async () => {
    for (const origin of ['https://evil.example', `http://localhost:${server.port + 1}`, 'null']) {
      for (const [method, path] of [['GET', '/auth-check'], ['POST', '/auth-check'], ['OPTIONS', '/auth-check'], ['GET', '/'], ['GET', '/index.html'], ['POST', '/admin']]) {
        const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, origin } });
        assert.equal(res.status, 403, `${method} ${path} from ${origin}`);
        assert.match(await res.text(), /^forbidden: pages from .* may not use the admin API/);
        assert.equal(res.headers.get('access-control-allow-origin'), null);
      }
    }
  });

  it('serves plain requests from the console this port serves, the desktop app and tools without an Origin', async () => {
    for (const origin of [base, DESKTOP_CONSOLE_ORIGIN, undefined]) {
      const check = await fetch(`${base}/auth-check`, { headers: { authorization: `Bearer ${TOKEN}`, ...(origin === undefined ? {} : { origin }) } });
      assert.equal(check.status, 204, `auth-check from ${origin ?? 'a tool'}`);
      const page = await fetch(`${base}/`, { headers: origin === undefined ? {} : { origin } });
      assert.equal(page.status, 503, `the (unbuilt) console page from ${origin ?? 'a tool'}`);
    }
  });

  it('cuts a request whose head or body is not complete within the request deadline', async () => {
    const cut = (text: string) => new Promise<number | null>((resolve) => {
      const started = Date.now();
      const raw = tcpConnect(server.port, '127.0.0.1', () => raw.write(text));
      const timer = setTimeout(() => {
        raw.destroy();
        resolve(null);
      }, 2500);
      raw.on('error', () => undefined);
      raw.resume(); // a socket that does not read never sees the server's FIN
      raw.on('close', () => {
        clearTimeout(timer);
        resolve(Date.now() - started);
      });
    });
    const [head, body] = await Promise.all([
      cut('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'),
      cut(`GET /admin?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{`),
    ]);
    assert.ok(head !== null, 'the slow head is still open after 2.5 s');
    assert.ok(body !== null, 'the slow body is still open after 2.5 s');
  });
});
