/**
 * Fuzzing the client protocol at the node (issue 11 §2): structure-aware frames from the protocol's
 * own command shapes (test/support/fuzz-frames.ts), sent by raw sockets, some fragmented with pings
 * between the fragments. Every case must end in replies and pushes of the protocol, or a close code
 * from PROTOCOL.md §5.2 (or the WebSocket layer's own 1002/1007/1009); never an internal error, a
 * stack trace, or a node that died — while a real client on the same node gets every publication.
 * Budget and seed: test/support/fuzz-budget.ts (FUZZ_RUNS, FUZZ_SEED, FUZZ_PATH).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Disconnects, Errors } from '../shared/protocol/codes.js';
import { TOO_MANY_COMMANDS_IN_FRAME } from '../shared/protocol/client-limits.js';
import { fuzz, leakedStack } from './support/fuzz-budget.js';
import type { ConnectionCase } from './support/fuzz-frames.js';
import { concurrentCases, CONCURRENT_CONNECTIONS, frameBytes, SENTINEL_ID } from './support/fuzz-frames.js';
import { assertNodesUnchanged, WatchedChannel } from './support/fuzz-watch.js';
import { RawPeer } from './support/raw-peer.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** Close codes a hostile frame may earn: the protocol's table and the WebSocket layer's own. */
const CLOSE_CODES = new Map<number, Set<string>>([
  ...Object.values(Disconnects).filter((d) => d.code !== Disconnects.internal.code).map((d) => [d.code, new Set([d.reason])] as const),
  [1002, new Set(['', 'Invalid WebSocket frame: RSV1 must be clear'])],
  [1007, new Set(['', 'Invalid WebSocket frame: invalid UTF-8 sequence'])],
  [1009, new Set(['', 'Max payload size exceeded'])],
]);
CLOSE_CODES.get(TOO_MANY_COMMANDS_IN_FRAME.code)!.add(TOO_MANY_COMMANDS_IN_FRAME.reason);

/** Error replies a hostile command may earn: every protocol error but 100 "internal server error". */
const ERROR_CODES = new Set<number>(Object.values(Errors).map((e) => e.code).filter((c) => c !== Errors.internal.code));

describe('client protocol fuzzing at the node', () => {
  let cluster: TestCluster;
  let watched: WatchedChannel;
  let token: string;
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
    token = await cluster.token('fuzzer');
    watched = await WatchedChannel.start(cluster, 'watcher', 'chat:watched');
  });
  after(async () => {
    watched.stop();
    await cluster.stop();
  });

  it('answers every mutated frame with protocol replies or a protocol close, leaks no stack, and keeps serving the watcher', async () => {
    const nodes = cluster.handle.nodes();
    const tally = { cases: 0, closed: new Map<number, number>(), errors: new Map<number, number>() };
    // Each run plays CONCURRENT_CONNECTIONS connection cases at once: 500 runs are 2,000 cases in npm test.
    await fuzz('client protocol', 500, fc.asyncProperty(concurrentCases(token), async (cases) => {
      const outcomes = await Promise.all(cases.map((c) => runCase(cluster, token, c)));
      tally.cases += outcomes.length;
      for (const o of outcomes) checkOutcome(o, tally, cluster.config.client.maxMessageSize);
      assertNodesUnchanged(cluster, nodes);
    }), `${CONCURRENT_CONNECTIONS} connections per run`);
    const { published } = await watched.verify();
    process.stdout.write(`# client protocol: ${tally.cases} cases; closes ${fmt(tally.closed)}; errors ${fmt(tally.errors)}; watcher got ${published}/${published}\n`);
  });
});

interface Outcome {
  peer: RawPeer;
  /** The largest message sent, in bytes. */
  largest: number;
  /** Whether the sentinel was answered (the connection lived through the case). */
  answered: boolean;
}

/** Opens a socket, plays the case, ends with a ping command, and waits for its reply or the close. */
async function runCase(cluster: TestCluster, token: string, c: ConnectionCase): Promise<Outcome> {
  const peer = new RawPeer(await cluster.raw());
  try {
    if (c.connectFirst) {
      peer.send({ id: 1, connect: { token } });
      await settled(peer, () => peer.received.some((m) => m.id === 1));
      const reply = peer.received.find((m) => m.id === 1);
      assert.ok(reply !== undefined && 'connect' in reply, `the valid connect failed: ${JSON.stringify(reply ?? peer.closeEvent)}`);
    }
    let largest = 0;
    for (const f of c.frames) {
      if (!peer.open) break;
      largest = Math.max(largest, await sendFrame(peer, f));
    }
    if (peer.open) peer.send({ id: SENTINEL_ID, ping: {} });
    await settled(peer, () => peer.received.some((m) => m.id === SENTINEL_ID));
    return { peer, largest, answered: peer.closeEvent === null };
  } finally {
    peer.ws.terminate();
  }
}

/**
 * Resolves once `done()` holds or the socket closed, checked on every message and on the close
 * (RawPeer's own listeners run first, so `received` is current); fails after 10 s.
 */
function settled(peer: RawPeer, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!done() && peer.closeEvent === null) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error('no reply to the sentinel and no close within 10 s'));
    }, 10_000);
    const cleanup = (): void => {
      clearTimeout(timer);
      peer.ws.off('message', check);
      peer.ws.off('close', check);
    };
    peer.ws.on('message', check);
    peer.ws.on('close', check);
    check();
  });
}

/** Sends one frame whole, or in WebSocket fragments (a ping between them when asked); answers its size. */
async function sendFrame(peer: RawPeer, f: ConnectionCase['frames'][number]): Promise<number> {
  const { data, binary } = frameBytes(f);
  if (f.fragments <= 1 || data.length < f.fragments) {
    peer.sendRaw(data, binary);
    return data.length;
  }
  const size = Math.ceil(data.length / f.fragments);
  for (let i = 0; i < f.fragments; i++) {
    const part = data.subarray(i * size, (i + 1) * size);
    await new Promise<void>((resolve) => peer.ws.send(part, { binary, fin: i === f.fragments - 1 }, () => resolve()));
    if (f.pings && i < f.fragments - 1 && peer.open) peer.ws.ping();
  }
  return data.length;
}

function checkOutcome(o: Outcome, tally: { closed: Map<number, number>; errors: Map<number, number> }, sizeLimit: number): void {
  const { peer } = o;
  assert.deepEqual(peer.garbage, [], 'the node sent a line that is not JSON');
  for (const m of peer.received) {
    if ('error' in m) {
      const e = m.error as { code: unknown; message: unknown };
      assert.ok(typeof e.code === 'number' && ERROR_CODES.has(e.code), `unexpected error reply ${JSON.stringify(m)}`);
      assert.equal(typeof e.message, 'string');
      assert.equal(leakedStack(e.message as string), null, `a stack trace in ${JSON.stringify(m)}`);
      bump(tally.errors, e.code);
    }
    if ('push' in m) {
      const d = (m.push as { disconnect?: { reason: string } }).disconnect;
      if (d) assert.equal(leakedStack(d.reason), null);
    }
  }
  if (o.answered) return;
  const close = peer.closeEvent!;
  bump(tally.closed, close.code);
  // Past the size limit the node closes 1009 while the peer is still sending: the unread bytes make
  // the close a TCP reset, which can overtake the close frame (the peer then sees 1006).
  if (close.code === 1006 && o.largest > sizeLimit) return;
  assert.equal(leakedStack(close.reason), null, `a stack trace in close reason ${close.reason}`);
  const reasons = CLOSE_CODES.get(close.code);
  assert.ok(reasons !== undefined, `close code ${close.code} "${close.reason}" is not one of PROTOCOL.md's`);
  assert.ok(reasons.has(close.reason), `close ${close.code} with reason "${close.reason}"`);
}

const bump = (m: Map<number, number>, k: number): void => void m.set(k, (m.get(k) ?? 0) + 1);
const fmt = (m: Map<number, number>): string => [...m].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}×${v}`).join(' ') || 'none';
