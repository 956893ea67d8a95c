/**
 * Fuzzing the admin API (issue 11 §2): every method's params, built from a well-formed request and
 * mutated field by field (test/support/fuzz-values.ts), plus broken envelopes. Params the method's
 * zod schema refuses must earn a 400 "invalid params for <method>: …" and change nothing (the
 * cluster's state is compared before and after each case); params it accepts are sent only for
 * methods that do not change the cluster, and must earn a result or a 4xx. Never a 500, never a
 * stack trace, never a node replaced. Budget and seed: test/support/fuzz-budget.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import WebSocket from 'ws';
import { ADMIN_PARAMS, AdminErrors } from '../shared/admin/admin-api.js';
import { jsonLimitProblem, PUBLICATION_LIMITS } from '../shared/json-limits.js';
import type { AdminMethod } from '../shared/admin/admin-api.js';
import { fuzz, leakedStack } from './support/fuzz-budget.js';
import { hostileValue, mutated, PROTO_KEYS, withOwnKeys } from './support/fuzz-values.js';
import { assertNodesUnchanged } from './support/fuzz-watch.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** A well-formed request per method. */
const BASE: { [M in AdminMethod]: Record<string, unknown> } = {
  'cluster.snapshot': {},
  'cluster.series': {},
  'metrics.history': { from: 1, to: 60_000, maxPoints: 100 },
  'cluster.set-strategy': { strategy: 'round-robin' },
  'cluster.set-auto-restart': { enabled: false },
  'events.since': { seq: 0, limit: 10 },
  'connections.query': { filter: { text: 'a', user: 'u' }, sort: { by: 'user', dir: 'desc' }, offset: 0, limit: 10 },
  'connection.get': { client: 'c-1' },
  'channels.query': { filter: { prefix: 'chat:' }, sort: { by: 'name', dir: 'asc' }, offset: 0, limit: 10 },
  'channel.get': { channel: 'chat:fuzz', historyLimit: 5, historyBefore: 3 },
  'channel.watch': { channel: 'chat:fuzz' },
  'channel.unwatch': { channel: 'chat:fuzz' },
  'channel.publish': { channel: 'chat:fuzz', data: { a: 1 } },
  'history.remove': { channel: 'chat:fuzz' },
  'session.kick': { target: { user: 'u' }, reconnect: true, code: 4000, reason: 'r' },
  'session.unsubscribe': { client: 'c-1', channel: 'chat:fuzz' },
  'broadcast.send': { audience: { kind: 'channels', channels: ['chat:fuzz'] }, data: { a: 1 }, dryRun: true },
  'broadcast.list': {},
  'node.kill': { node: 'node-1' },
  'node.hang': { node: 'node-1', seconds: 1 },
  'node.partition': { node: 'node-1', seconds: 1 },
  'node.drop': { node: 'node-1' },
  'node.restart': { node: 'node-1' },
  'node.add': {},
  'node.remove': { node: 'node-1', rate: 200 },
  'cluster.rebalance': { rate: 200 },
  'token.mint': { user: 'u', ttlSeconds: 60 },
  'simulator.start': { profile: 'chat', clients: 1, channels: 1, rate: 1, rampSeconds: 1, durationSeconds: 1 },
  'simulator.stop': {},
  'simulator.status': {},
  'simulator.fleets': {},
  'capacity.estimate': { nodesPerMachine: 2, machines: 3 },
  'audit.query': { text: 'kick', action: 'session.kick', who: 'admin', from: 0, to: 1, ok: true, before: 5, limit: 10 },
  'alerts.rules': {},
  'alerts.set-rules': { rules: [{ kind: 'loop-delay', enabled: true, threshold: 200, forSeconds: 30, severity: 'warning' }] },
  'alerts.list': { limit: 10 },
};

/** Methods that leave the cluster as it was: only these are sent when the params are valid. */
const READ_ONLY = new Set<AdminMethod>([
  'cluster.snapshot', 'cluster.series', 'metrics.history', 'events.since', 'connections.query', 'connection.get', 'channels.query',
  'channel.get', 'broadcast.list', 'token.mint', 'simulator.status', 'simulator.fleets', 'audit.query', 'capacity.estimate',
  'alerts.rules', 'alerts.list',
]);

const METHODS = Object.keys(BASE) as AdminMethod[];

/** One request as text: a mutated request of a known method, or a broken envelope. */
type AdminCase = { method: AdminMethod; params: unknown; text: string } | { method: null; text: string };

const request: fc.Arbitrary<AdminCase> = fc.constantFrom(...METHODS).chain((method) =>
  fc.oneof({ weight: 4, arbitrary: mutated(BASE[method]) }, { weight: 1, arbitrary: hostileValue }).map((params) => ({
    method, params, text: JSON.stringify({ id: 7, method, params }),
  })));

const envelope: fc.Arbitrary<AdminCase> = fc.oneof(
  fc.tuple(hostileValue.filter((id) => !Number.isSafeInteger(id)), fc.constantFrom(...METHODS)).map(([id, method]) => ({ method: null, text: JSON.stringify({ id, method, params: BASE[method] }) })),
  fc.tuple(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...PROTO_KEYS, 'node.kill ', 'NODE.KILL')).filter((m) => !Object.hasOwn(BASE, m)), hostileValue)
    .map(([method, params]) => ({ method: null, text: JSON.stringify({ id: 7, method, params }) })),
  fc.tuple(fc.constantFrom(...PROTO_KEYS), hostileValue).map(([k, v]) => ({ method: null, text: JSON.stringify(withOwnKeys({ id: 7, method: 'node.kill' }, [[k, v]])) })),
  fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '[]', 'null', '7', '{', '{"id":7,"method":"node.kill","params":')).map((text) => ({ method: null, text })),
);

const adminCase = fc.oneof({ weight: 4, arbitrary: request }, { weight: 1, arbitrary: envelope });

describe('admin API fuzzing', () => {
  let cluster: TestCluster;
  let ws: WebSocket;
  const replies: string[] = [];
  let waiting: ((text: string) => void) | null = null;

  before(async () => {
    cluster = await startTestCluster({ nodes: 2 });
    ws = new WebSocket(`${cluster.handle.adminUrl}?token=${encodeURIComponent(cluster.handle.adminToken)}`);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('{"push"')) return;
      if (waiting) waiting(text);
      else replies.push(text);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  });
  after(async () => {
    ws.terminate();
    await cluster.stop();
  });

  /** Sends one frame and resolves with the next reply (pushes skipped). */
  const call = (text: string): Promise<{ id: unknown; result?: unknown; error?: { code: number; message: string } }> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no admin reply to ${text.slice(0, 200)}`)), 10_000);
      waiting = (reply) => {
        clearTimeout(timer);
        waiting = null;
        assert.equal(leakedStack(reply), null, `a stack trace in the admin reply ${reply.slice(0, 300)}`);
        resolve(JSON.parse(reply) as { id: unknown; error?: { code: number; message: string } });
      };
      ws.send(text);
    });

  /** What an invalid request must not change: routing, auto-restart, nodes, broadcasts, channels, simulator. */
  const state = async (): Promise<string> => {
    const snap = (await call(JSON.stringify({ id: 1, method: 'cluster.snapshot', params: {} }))).result as {
      strategy: string; autoRestart: boolean; nodes: { id: string }[];
    };
    const broadcasts = (await call(JSON.stringify({ id: 2, method: 'broadcast.list', params: {} }))).result;
    const channels = (await call(JSON.stringify({ id: 3, method: 'channels.query', params: { sort: { by: 'name', dir: 'asc' } } }))).result as {
      items: { channel: string; offset?: number; epoch?: string }[];
    };
    const sim = (await call(JSON.stringify({ id: 4, method: 'simulator.status', params: {} }))).result;
    return JSON.stringify({
      strategy: snap.strategy, autoRestart: snap.autoRestart, nodes: snap.nodes.map((n) => n.id), broadcasts, sim,
      channels: channels.items.map((c) => [c.channel, c.offset, c.epoch]),
    });
  };

  it('refuses every params its schema refuses with a 400 and no change, and answers the rest without a 500', async () => {
    const nodes = cluster.handle.nodes();
    // Something to protect: a channel with history the fuzzer's history.remove or publish must not touch.
    assert.equal((await cluster.api('publish', { channel: 'chat:fuzz', data: { kept: true } })).status, 200);
    const tally = { cases: 0, refused: 0, answered: 0, skipped: 0 };
    await fuzz('admin API', 2000, fc.asyncProperty(adminCase, async (c) => {
      tally.cases++;
      // The codec reads absent or null params as {} (admin.codec.ts).
      // Params nested past twice the publication depth are refused unparsed (the schemas recurse, and
      // a value thousands deep would overflow this process's stack in safeParse as it would the server's).
      const tooDeep = c.method !== null && jsonLimitProblem(c.params ?? {}, { maxDepth: PUBLICATION_LIMITS.maxDepth * 2, maxBytes: Number.POSITIVE_INFINITY }) !== null;
      const valid = c.method !== null && !tooDeep && ADMIN_PARAMS[c.method].safeParse(c.params ?? {}).success;
      if (valid && !READ_ONLY.has(c.method!)) {
        tally.skipped++;
        return;
      }
      const before = valid ? null : await state();
      const reply = await call(c.text);
      if (valid) {
        tally.answered++;
        assert.ok(reply.error === undefined || (reply.error.code >= 400 && reply.error.code < 500), `a valid ${c.method} earned ${JSON.stringify(reply)}`);
        return;
      }
      tally.refused++;
      assert.ok(reply.error !== undefined, `invalid input was accepted: ${c.text.slice(0, 300)} → ${JSON.stringify(reply).slice(0, 300)}`);
      assert.ok(reply.error.code === AdminErrors.badRequest || reply.error.code === AdminErrors.notFound, `error ${JSON.stringify(reply.error)}`);
      if (c.method !== null) assert.match(reply.error.message, new RegExp(`^invalid params for ${c.method.replace('.', '\\.')}: `));
      assert.equal(await state(), before, `the refused request ${c.text.slice(0, 200)} changed the cluster`);
      assertNodesUnchanged(cluster, nodes);
    }));
    assertNodesUnchanged(cluster, nodes);
    process.stdout.write(`# admin API: ${tally.cases} cases; ${tally.refused} refused, ${tally.answered} valid read-only answered, ${tally.skipped} valid changing requests not sent\n`);
  });
});
