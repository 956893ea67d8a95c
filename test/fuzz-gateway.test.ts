/**
 * Fuzzing the gateway (issue 11 §2): the HTTP head it reads before handing a socket to a node or to
 * the supervisor's HTTP server. Heads are built from well-formed requests and mutated
 * (test/support/fuzz-heads.ts); the first WebSocket frame or a pipelined request may ride in the
 * head's write, the bytes arrive in chunks cut at random points, and the client may half-close or
 * drop the socket. Every case must end in well-formed HTTP answers with a status of the route the
 * head names (or a close where a close is the answer), no stack trace or path, and no hang past the
 * head timeout; an untouched upgrade whose connect frame rode with the head gets its connect reply
 * (the hand-off loses no byte); node pids stay the same, and a real client keeps getting every
 * publication. Budget and seed: test/support/fuzz-budget.ts (FUZZ_RUNS, FUZZ_SEED, FUZZ_PATH).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { fuzz, leakedStack, STACK_TRACE } from './support/fuzz-budget.js';
import type { BuildContext, BuiltCase, GatewayCase } from './support/fuzz-heads.js';
import { buildCase, CONNECT_ID, gatewayCase, WS_PATH } from './support/fuzz-heads.js';
import { assertNodesUnchanged, WatchedChannel } from './support/fuzz-watch.js';
import { readResponses } from './support/raw-responses.js';
import type { ReadResponses } from './support/raw-responses.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** Cases played at once per run (their sockets interleave at the gateway). */
const CONCURRENT = 6;
/** The head timeout of the fuzzed cluster: a head that never ends is cut after this. */
const HEAD_TIMEOUT_MS = 1000;
/** Connections waiting for a head at once, at most: small, so that a leak in the count would show as 503s. */
const MAX_PENDING = 64;
/** A case not settled this long after its last write hangs (the head timeout plus slack for a loaded machine). */
const SETTLE_BOUND_MS = HEAD_TIMEOUT_MS + 9000;

/** Statuses of a WebSocket upgrade on the endpoint: the node's (ws's 400/405, Origin's 403, the HTTP parser's 426) and the gateway's 503. */
const WEBSOCKET_STATUSES = new Set([101, 400, 403, 405, 426, 503]);
/** Statuses of the supervisor's HTTP server: the API's, /healthz and /metrics, 404s, and its 400 for a request it cannot parse. */
const HTTP_STATUSES = new Set([200, 400, 401, 404, 405, 408, 409, 413, 415, 416, 503]);

type Route = 'none' | '431' | '421' | 'websocket' | 'http';

/**
 * The Host rule of docs/security.md for this cluster (bound to 127.0.0.1, no extra names): no Host,
 * an IP literal or localhost (any port, trailing dot, any case) is answered; anything else is 421.
 */
function hostAnswered(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.trim().toLowerCase();
  let name: string;
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    if (end <= 1) return false;
    name = v.slice(1, end);
  } else {
    const colon = v.lastIndexOf(':');
    name = colon >= 0 && v.indexOf(':') === colon ? v.slice(0, colon) : v;
  }
  name = name.replace(/\.$/, '');
  return name !== '' && (isIP(name) !== 0 || name === 'localhost');
}

/**
 * Where the gateway must send a head (gateway.ts; derived here from the bytes, not by calling it):
 * none while no head is complete, 431 past the limit, 421 for a Host not allowed, a node for a GET
 * of the endpoint with an `Upgrade: websocket` line, else the supervisor's HTTP server.
 */
function routeOf(bytes: Buffer, written: number, limit: number): Route {
  const end = bytes.indexOf('\r\n\r\n');
  const headSize = end < 0 ? Infinity : end + 4;
  if (headSize > limit) return written > limit ? '431' : 'none';
  if (written < headSize) return 'none';
  const lines = bytes.toString('latin1', 0, end).split('\r\n');
  const [method, target] = lines[0]!.split(' ');
  if (!method || !target) return 'http';
  let path: string;
  try {
    path = new URL(target, 'http://gateway').pathname;
  } catch {
    return 'http';
  }
  const field = (name: string): string | undefined => {
    for (const l of lines.slice(1)) {
      const m = new RegExp(`^${name}:[ \\t]*([^\\r\\n]*?)[ \\t]*$`, 'i').exec(l);
      if (m) return m[1];
    }
    return undefined;
  };
  if (!hostAnswered(field('host'))) return '421';
  const upgrade = lines.slice(1).some((l) => /^upgrade:[ \t]*websocket[ \t]*$/i.test(l));
  return method === 'GET' && path === WS_PATH && upgrade ? 'websocket' : 'http';
}

interface Played {
  received: Buffer;
  /** The server closed (or reset) the socket before the client let go. */
  closedByServer: boolean;
  written: number;
  aborted: boolean;
}

/** Writes the case's chunks (with its delays), then reads, half-closes or drops the socket. */
async function play(port: number, c: GatewayCase, built: BuiltCase): Promise<Played> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  const chunks: Buffer[] = [];
  let closed = false;
  let wake = (): void => undefined;
  socket.on('data', (d: Buffer) => {
    chunks.push(d);
    wake();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received = (): Buffer => Buffer.concat(chunks);
  let written = 0;
  const writes = c.ending === 'abort' ? Math.floor(c.abortAfter * built.chunks.length) : built.chunks.length;
  for (let k = 0; k < writes && !closed; k++) {
    if (k > 0) await sleep(c.delaysMs[k % c.delaysMs.length]!);
    if (closed) break;
    socket.write(built.chunks[k]!);
    written += built.chunks[k]!.length;
  }
  if (c.ending === 'abort') {
    socket.destroy();
    return { received: received(), closedByServer: closed, written, aborted: true };
  }
  if (c.ending === 'half-close') socket.end();
  const deadline = Date.now() + SETTLE_BOUND_MS;
  while (!closed && !settled(readResponses(received(), built.methods, false), c, written === built.bytes.length)) {
    const left = deadline - Date.now();
    if (left <= 0) {
      socket.destroy();
      const upgraded = received().toString('latin1').startsWith('HTTP/1.1 101 ');
      throw new Error(`${upgraded ? 'a 101, then neither the connect reply nor a close (bytes lost at the hand-off?)' : 'no answer and no close'} `
        + `within ${SETTLE_BOUND_MS} ms of the last write (${c.ending}, ${c.tail}); `
        + `sent ${JSON.stringify(built.bytes.toString('latin1', 0, 400))}; got ${JSON.stringify(received().toString('latin1').slice(0, 300))}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(left, 200));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  socket.destroy();
  return { received: received(), closedByServer: closed, written, aborted: false };
}

/** Whether the client has what it waits for: the answer to each request sent, or after a 101 what its frame earns. */
function settled(r: ReadResponses, c: GatewayCase, allWritten: boolean): boolean {
  if (r.malformed !== null) return true;
  const first = r.responses[0];
  if (first === undefined) return false;
  if (first.status === 101) {
    // Only the connect frame is waited for: garbage or a pipelined request after a 101 may be an
    // incomplete frame, which the node rightly waits on (its protocol ping ends such a socket).
    if (!allWritten || c.tail !== 'connect-frame') return true;
    if (r.frames.some((f) => f.opcode === 0x8)) return true;
    return r.frames.some((f) => f.opcode === 0x1 && replies(f.payload).some((m) => m.id === CONNECT_ID));
  }
  if (r.partial) return false;
  const wanted = c.tail === 'pipelined' && !/close/i.test(first.headers.connection ?? '') ? 2 : 1;
  return r.responses.length >= wanted;
}

function replies(payload: Buffer): Record<string, unknown>[] {
  return payload.toString().split('\n').filter((l) => l.trim() !== '').map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return { unparsed: l };
    }
  });
}

/**
 * An upgrade nothing touched, its connect frame riding in the head's write (or split into it), and a
 * client that reads. An empty `Sec-WebSocket-Protocol` is not an offer (RFC 6455 wants 1#token):
 * `ws` answers it 400 "Invalid Sec-WebSocket-Protocol header", so such a base request is only fuzzed.
 */
const mustConnect = (c: GatewayCase): boolean =>
  c.request.kind === 'upgrade' && c.mutated.length === 0 && c.padTo === null && c.headEnd === '\r\n' && c.tail === 'connect-frame' && c.ending === 'read'
  && !c.request.headers.some((h) => /^Sec-WebSocket-Protocol: *$/.test(h.line));

interface Tally {
  cases: number;
  statuses: Map<string, number>;
  connectReplies: number;
  mustConnect: number;
  handedWithFrame: number;
  /** What the upgrades with the frame in the head's bytes got instead of a connect reply. */
  otherwise: string[];
}

/** The close frame's code and reason, or how the socket ended without one. */
function closeOf(r: ReadResponses): string {
  const f = r.frames.find((x) => x.opcode === 0x8);
  if (!f) return 'no close frame';
  return f.payload.length >= 2 ? `close ${f.payload.readUInt16BE(0)} ${JSON.stringify(f.payload.subarray(2).toString())}` : 'close';
}

/** Checks one played case against its route; tallies it. */
function check(c: GatewayCase, built: BuiltCase, p: Played, limit: number, tally: Tally): void {
  const route = routeOf(built.bytes, p.written, limit);
  const r = readResponses(p.received, built.methods, p.closedByServer || p.aborted);
  const what = `route ${route}, ${c.ending}, ${c.tail}, mutations [${c.mutated.join(', ')}]; sent ${p.written} bytes ${JSON.stringify(built.bytes.toString('latin1', 0, 400))}; got ${JSON.stringify(p.received.toString('latin1', 0, 400))}`;
  assert.equal(r.malformed, null, `not HTTP (${what}): ${JSON.stringify(r.malformed)}`);
  assert.equal(leakedStack(withoutEchoes(p.received.toString('latin1'))), null, `a stack trace or path in the answer (${what})`);
  for (const f of r.frames.filter((x) => x.opcode === 0x8)) assert.equal(leakedStack(f.payload.toString('latin1')), null, 'a stack trace in a close reason');
  const first = r.responses[0];
  const label = first ? String(first.status) : p.aborted ? 'dropped by the client' : route === 'none' ? 'closed, head never complete' : `closed without an answer (${route} route)`;
  tally.statuses.set(label, (tally.statuses.get(label) ?? 0) + 1);
  tally.cases++;
  // A client that read to the end: a response it waited for was not cut off (a drop or half-close may cut it).
  if (c.ending === 'read' && !r.responses.some((x) => x.status === 101)) assert.ok(!r.partial || !p.closedByServer, `an answer cut off (${what}): ${JSON.stringify(p.received.toString('latin1').slice(0, 300))}`);
  if (first === undefined) {
    // No answer: a drop, a head never completed (cut at the head timeout), a node's parser refusing
    // what the gateway let through, or a half-close the server answered by closing.
    // Node's HTTP server closes a CONNECT it has no 'connect' listener for (http-routes.ts has none).
    const connectMethod = route === 'http' && built.bytes.toString('latin1', 0, 8) === 'CONNECT ';
    if (c.ending === 'read' && route !== 'none' && route !== 'websocket' && !connectMethod) assert.fail(`the ${route} route closed without an answer (${what})`);
    return;
  }
  assert.notEqual(route, 'none', `an answer before a complete head (${what}): ${first.status}`);
  if (route === '431' || route === '421') assert.equal(first.status, Number(route), what);
  if (route === 'websocket') assert.ok(WEBSOCKET_STATUSES.has(first.status), `status ${first.status} on the upgrade route (${what})`);
  if (route === 'http') assert.ok(HTTP_STATUSES.has(first.status), `status ${first.status} on the HTTP route (${what})`);
  assert.ok(!(first.status === 503 && /waiting for a request/.test(p.received.toString('latin1'))), `503 for too many waiting connections: a leak in the gateway's count (${what})`);
  // A node answers the one request the gateway handed it: a second one on that socket would pass
  // the gateway's checks (Host, admission) unseen.
  if (route === 'websocket') assert.ok(r.responses.length <= 1, `a node answered a pipelined request too: ${r.responses.map((x) => x.status).join(', ')} (${what})`);
  for (const x of r.responses.slice(1)) assert.ok(WEBSOCKET_STATUSES.has(x.status) || HTTP_STATUSES.has(x.status), `pipelined answer ${x.status} (${what})`);
  if (first.status === 101 && c.tail === 'connect-frame' && p.written === built.bytes.length) {
    tally.handedWithFrame++;
    const got = r.frames.filter((f) => f.opcode === 0x1).flatMap((f) => replies(f.payload));
    const reply = got.find((m) => m.id === CONNECT_ID);
    if (reply && 'connect' in reply) tally.connectReplies++;
    else tally.otherwise.push(reply ? JSON.stringify(reply).slice(0, 80) : closeOf(r));
    assert.ok(reply !== undefined || !mustConnect(c), `the connect frame that rode with the head got no reply (${what}); frames ${JSON.stringify(got).slice(0, 300)}`);
    if (reply) assert.ok('connect' in reply, `the connect frame got ${JSON.stringify(reply).slice(0, 300)}`);
  }
  if (mustConnect(c)) {
    tally.mustConnect++;
    assert.equal(first.status, 101, `an untouched upgrade got ${first.status}: ${p.received.toString('latin1').slice(0, 300)}`);
  }
}

describe('gateway fuzzing (HTTP head, hand-off)', () => {
  let cluster: TestCluster;
  let watched: WatchedChannel;
  let ctx: BuildContext;
  before(async () => {
    cluster = await startTestCluster({ nodes: 2, http: { headTimeoutMs: HEAD_TIMEOUT_MS, maxPendingConnections: MAX_PENDING } });
    ctx = { port: cluster.handle.port, apiKey: cluster.config.apiKey, token: await cluster.token('gateway-fuzzer') };
    watched = await WatchedChannel.start(cluster, 'watcher', 'chat:watched');
  });
  after(async () => {
    watched.stop();
    await cluster.stop();
  });

  it('answers every mutated head with an HTTP answer of its route or a close, leaks no stack, loses no byte at hand-off, and keeps serving the watcher', async () => {
    const nodes = cluster.handle.nodes();
    const limit = cluster.config.http.headMaxBytes;
    assert.deepEqual([cluster.config.host, cluster.config.allowedHosts], ['127.0.0.1', []], 'hostAnswered assumes this');
    const tally: Tally = { cases: 0, statuses: new Map(), connectReplies: 0, mustConnect: 0, handedWithFrame: 0, otherwise: [] };
    const started = Date.now();
    await fuzz('gateway', 334, fc.asyncProperty(fc.array(gatewayCase(limit), { minLength: CONCURRENT, maxLength: CONCURRENT }), async (cases) => {
      const built = cases.map((c) => buildCase(c, ctx));
      // Answers echo the path or Host they were sent: a generated one that looks like a stack would be a false alarm.
      fc.pre(built.every((b) => !STACK_TRACE.test(b.bytes.toString('latin1')) && !STACK_TRACE.test(decodeURIComponentSafe(b.bytes.toString('latin1')))));
      const played = await Promise.all(cases.map((c, i) => play(ctx.port, c, built[i]!)));
      cases.forEach((c, i) => check(c, built[i]!, played[i]!, limit, tally));
      assertNodesUnchanged(cluster, nodes);
    }), `${CONCURRENT} connections per run`);
    const { published } = await watched.verify();
    const statuses = [...tally.statuses].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => `${k}×${v}`).join(', ');
    process.stdout.write(`# gateway: ${tally.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${statuses}; `
      + `connect replies ${tally.connectReplies}/${tally.handedWithFrame} upgrades with the frame in the head's bytes (${tally.mustConnect} untouched, all answered)`
      + `${tally.otherwise.length ? `, the others got ${tally.otherwise.join('; ')}` : ''}; watcher got ${published}/${published}\n`);
  });
});

/**
 * The answer without the request parts it echoes, at the three places that echo one: the 404s name
 * the path ("not found: /x", and "no WebSocket endpoint at /x;", which reads like a stack frame
 * "at /x"), the 421 names the Host.
 */
function withoutEchoes(text: string): string {
  return text
    .replace(/not found: [^\n]*\n/g, 'not found: …\n')
    .replace(/no WebSocket endpoint at [^\n]*?; clients connect to/g, 'no WebSocket endpoint at …; clients connect to')
    .replace(/does not answer for host "[^\n]*?" \(allow/g, 'does not answer for host "…" (allow');
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
