/**
 * Smoke test of the bench's `--quick` path, reduced for correctness only: one tiny fan-out step
 * (50 subscribers) against raw ws and Switchboard with 1 node, real server and generator processes.
 * It checks that the generator counted every publication for every subscriber, none lost or
 * duplicated, that every process ended, and that the tables render. No timing or throughput
 * assertion: figures on a shared machine prove nothing in a test.
 *
 * The Redis rows likewise: the same step on 2 supervisors × 1 node on a redis-server of the bench's
 * own (half the subscribers on each supervisor, so half the deliveries cross Redis), and a small
 * supervisor-kill failover — every affected client recovered, nothing lost or duplicated.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FailoverRun } from './failover.js';
import { runFailover } from './failover.js';
import type { FanoutRun } from './fanout.js';
import { runFanout } from './fanout.js';
import { quickOptions } from './options.js';
import type { BenchOptions, ChatOptions, FailoverOptions, SizesOptions, SoakOptions } from './options.js';
import type { ChatRun } from './chat.js';
import { runChat } from './chat.js';
import type { SizesRun } from './sizes.js';
import { runSizes } from './sizes.js';
import type { SoakRun } from './soak.js';
import { runSoak } from './soak.js';
import { PEERS, startPeer, v8FlagsOf } from './peers.js';
import { forceGc, runtimeFlags } from './gc.js';
import { machineInfo, running } from './proc.js';
import type { ProcessRef } from './proc.js';
import { renderReport } from './report.js';
import { planCores } from './children.js';
import type { IdleMemoryRun } from './idle-memory.js';
import { runIdleMemory } from './idle-memory.js';
import type { StormRun } from './storm.js';
import { ordersFor, runStorm } from './storm.js';

const SUBSCRIBERS = 50;
const RATE = 1000; // deliveries/s: 20 publications a second to 50 subscribers

function smokeOptions(): BenchOptions {
  const o = quickOptions();
  return {
    ...o,
    pin: false,
    capacity: null,
    failover: null,
    fanout: {
      ...o.fanout!, peers: ['ws', 'ws-co', 'sb1'], subscribers: [SUBSCRIBERS], rates: [RATE],
      stepMs: 1000, drainMs: 5000, warmupMs: 300, cpuRates: [RATE], latencyRate: RATE, concurrency: 25,
    },
  };
}

describe('bench --quick, reduced: one fan-out step with 50 subscribers', () => {
  const o = smokeOptions();
  const runs: FanoutRun[] = [];
  const log: string[] = [];
  const children: ProcessRef[] = [];

  before(async () => {
    for (const id of o.fanout!.peers) {
      runs.push(await runFanout(PEERS[id], 0, o.fanout!, { server: null, generator: null }, (s) => log.push(s), (refs) => children.push(...refs)));
    }
  });

  for (const id of ['ws', 'ws-co', 'sb1'] as const) {
    it(`${PEERS[id].label}: every publication reached every subscriber exactly once`, () => {
      const run = runs.find((r) => r.peer === id)!;
      assert.equal(run.error, undefined, `${run.error}\n${log.join('\n')}`);
      const steps = run.series[0]!.steps;
      assert.equal(steps.length, 1);
      const s = steps[0]!;
      assert.equal(s.subscribers, SUBSCRIBERS);
      assert.ok(s.publications > 0);
      assert.equal(s.expected, s.publications * SUBSCRIBERS);
      assert.equal(s.delivered, s.expected, `delivered ${s.delivered} of ${s.expected}`);
      assert.equal(s.lost, 0);
      assert.equal(s.duplicates, 0);
      assert.equal(s.publishErrors, 0);
      assert.equal(s.disconnects, 0);
    });
  }

  it('ends every process it started', () => {
    // raw ws: server + generator; Switchboard: supervisor + node + generator.
    assert.ok(children.length >= 5, `saw ${children.length} processes`);
    assert.deepEqual(children.filter(running).map((r) => r.pid), []);
  });

  it('renders the fan-out table with every peer, the ratios against both raw ws peers and the runtime flags', () => {
    const md = renderReport({
      options: o, machine: machineInfo(), loadAfter: [0, 0, 0], versions: { ws: 'x' }, startedAt: new Date().toISOString(), wallMs: 1,
      capacity: [], fanout: runs, failover: [], redisFailover: [], notes: [], pinned: false,
    });
    assert.match(md, /## 2\. Fan-out/);
    assert.match(md, /### 50 subscribers/);
    assert.match(md, /\| raw ws \(1 process\) \|/);
    assert.match(md, /\| Switchboard \(1 node\) \|/);
    assert.match(md, /Ratios against raw ws/);
    assert.match(md, /\| raw ws, coalesced \(1 process\) \|/);
    assert.match(md, /CPU\/delivery @1k ÷ raw ws \| CPU\/delivery @1k ÷ raw ws coalesced/);
    assert.match(md, /\*\*Runtime flags:\*\* `--v8-flags=shipped`/);
    assert.match(md, /CPU µs\/delivery @1k/);
  });
});

describe('bench fairness: equal runtime flags and a forced GC in every server process', () => {
  const flagsOf = (refs: readonly ProcessRef[]): string[][] => refs.map((r) => runtimeFlags(r.pid) ?? ['gone']);

  for (const mode of ['shipped', 'default'] as const) {
    it(`runs raw ws, coalesced raw ws, Socket.IO cluster (primary and workers) and Switchboard (supervisor and node) all with the ${mode} flags, and each answers a GC request`, async () => {
      const want = [...v8FlagsOf(mode).root, '--expose-gc'];
      for (const id of ['ws-co', 'sio-cluster', 'sb1'] as const) {
        const server = await startPeer(PEERS[id], null, mode);
        try {
          const { pids } = await server.refresh();
          const refs = pids.map((p) => server.ref(p)).filter((r) => r !== null);
          // Switchboard with 1 node: the supervisor and the node (no warm standby by default: cluster.standby_nodes 0).
          assert.equal(refs.length, { 'ws-co': 1, 'sio-cluster': 3, sb1: 2 }[id], `${id}: ${pids.join(', ')}`);
          for (const f of flagsOf(refs)) assert.deepEqual(f, want, `${id}: ${JSON.stringify(flagsOf(refs))}`);
          const gc = await forceGc(refs);
          assert.deepEqual({ asked: gc.asked, answered: gc.answered, notAsked: gc.notAsked }, { asked: refs.length, answered: refs.length, notAsked: [] }, id);
          assert.deepEqual(refs.filter((r) => !running(r)), [], `${id}: a process ended on the GC request`);
        } finally {
          await server.stop();
        }
        assert.deepEqual(server.allRefs().filter(running).map((r) => r.pid), [], `${id}: processes left running`);
      }
    });
  }
});

const REDIS_FAILOVER: FailoverOptions = {
  nodes: 1, supervisors: 2, clients: 200, channels: 10, publishRate: 50, beforeKillMs: 1000, afterRecoveryMs: 800,
  reconnect: { minDelayMs: 500, maxDelayMs: 20_000 }, recoverTimeoutMs: 15_000, concurrency: 25,
};

describe('bench Redis rows, reduced: one fan-out step with 50 subscribers on 2 supervisors, and a supervisor-kill failover with 200 clients', () => {
  const o: BenchOptions = { ...smokeOptions(), redisFailover: REDIS_FAILOVER };
  o.fanout = { ...o.fanout!, peers: ['sb2', 'sb2-redis'] };
  const runs: FanoutRun[] = [];
  let failover: FailoverRun;
  const log: string[] = [];
  const children: ProcessRef[] = [];

  before(async () => {
    runs.push(await runFanout(PEERS['sb2-redis'], 0, o.fanout!, { server: null, generator: null }, (s) => log.push(s), (refs) => children.push(...refs)));
    failover = await runFailover(0, REDIS_FAILOVER, { server: null, generator: null }, (s) => log.push(s), (refs) => children.push(...refs));
  });

  it('Redis engine: every publication reached every subscriber on both supervisors exactly once, with redis-server\'s CPU read', () => {
    const run = runs[0]!;
    assert.equal(run.error, undefined, `${run.error}\n${log.join('\n')}`);
    const s = run.series[0]!.steps[0]!;
    assert.equal(s.subscribers, SUBSCRIBERS);
    assert.ok(s.publications > 0);
    assert.equal(s.expected, s.publications * SUBSCRIBERS);
    assert.equal(s.delivered, s.expected, `delivered ${s.delivered} of ${s.expected}\n${log.join('\n')}`);
    assert.equal(s.lost, 0);
    assert.equal(s.duplicates, 0);
    assert.equal(s.publishErrors, 0);
    assert.equal(s.disconnects, 0);
    assert.notEqual(s.redisCpuUs, null);
  });

  it('Redis engine failover: every client of the killed supervisor recovered through the other, nothing lost or duplicated', () => {
    assert.equal(failover.error, undefined, `${failover.error}\n${log.join('\n')}`);
    assert.equal(failover.killed, 'supervisor');
    assert.equal(failover.connected, REDIS_FAILOVER.clients);
    assert.ok(failover.affected > 0, `no client was affected\n${log.join('\n')}`);
    assert.equal(failover.recovered, failover.affected, `${failover.recovered} of ${failover.affected} recovered, ${failover.notRecovered} not\n${log.join('\n')}`);
    assert.ok(failover.published > 0);
    assert.equal(failover.publishErrors, 0);
    assert.equal(failover.lost, 0, log.join('\n'));
    assert.equal(failover.duplicates, 0, log.join('\n'));
    assert.equal(failover.outOfOrder, 0, log.join('\n'));
  });

  it('ends every process it started, redis-server included', () => {
    // Per run: redis-server, its watchdog shell, 2 supervisors, 2 nodes, the generator.
    assert.ok(children.length >= 14, `saw ${children.length} processes`);
    assert.deepEqual(children.filter(running).map((r) => r.pid), []);
  });

  it('renders section 5 with both engines, the ratio row and the failover table', () => {
    const mem = { ...runs[0]!, peer: 'sb2' as const };
    const md = renderReport({
      options: o, machine: machineInfo(), loadAfter: [0, 0, 0], versions: { ws: 'x' }, startedAt: new Date().toISOString(), wallMs: 1,
      capacity: [], fanout: [mem, runs[0]!], failover: [], redisFailover: [failover], notes: [], pinned: false,
    });
    assert.match(md, /## 5\. Redis engine/);
    assert.match(md, /\| Switchboard Redis engine \(2 supervisors × 1 node\) \|/);
    assert.match(md, /\| Redis ÷ memory, pair by pair \| 1(\.00)?× \|/);
    assert.match(md, /Redis CPU µs\/publication \(series\)/);
    assert.match(md, /### Failover: a supervisor SIGKILLed/);
    assert.match(md, /Redis engine: peak delivered\/s ≥ 0\.8× the memory engine's \(50 subs\) \| 1(\.00)?× \| met/);
  });
});

describe('bench storm and idle-memory, reduced: 60 clients at once, and 2 levels of idle clients from 2 source addresses', () => {
  const o: BenchOptions = {
    ...smokeOptions(), fanout: null,
    storm: { peers: ['ws', 'sb1'], clients: 60, processes: 2, concurrency: 0, giveUpMs: 30_000 },
    idleMemory: { peers: ['ws', 'sb1'], levels: [40, 100], perProcess: 30, concurrency: 10, giveUpMs: 30_000, settleMs: 200 },
  };
  const storms: StormRun[] = [];
  const idle: IdleMemoryRun[] = [];

  before(async () => {
    for (const id of ['ws', 'sb1'] as const) {
      storms.push(await runStorm(PEERS[id], 0, o.storm!, { server: null, generator: null }));
      idle.push(await runIdleMemory(PEERS[id], 0, o.idleMemory!, { server: null, generator: null }));
    }
  });

  for (const id of ['ws', 'sb1'] as const) {
    it(`${PEERS[id].label}: every storm client connected, with one open and one ready latency each`, () => {
      const r = storms.find((x) => x.peer === id)!;
      assert.equal(r.error, undefined);
      assert.equal(r.admitted, 60, JSON.stringify(r.refusals));
      assert.equal(r.failed, 0);
      assert.ok(r.attempts >= 60);
      assert.ok(r.ready.p99 >= r.open.p50, `ready p99 ${r.ready.p99} < open p50 ${r.open.p50}`);
      assert.ok(r.serverCpuUs > 0);
    });

    it(`${PEERS[id].label}: idle-memory held both levels with 2 subscriptions each, reading every server process`, () => {
      const r = idle.find((x) => x.peer === id)!;
      assert.equal(r.error, undefined);
      assert.equal(r.stoppedAt, undefined, r.stoppedAt?.reason);
      assert.deepEqual(r.levels.map((l) => [l.level, l.connected, l.failed]), [[40, 40, 0], [100, 100, 0]]);
      assert.ok(r.baselineRss > 0);
      // Switchboard: the supervisor and the node.
      assert.equal(r.levels[1]!.openFiles.length, id === 'ws' ? 1 : 2);
      // Each held socket is an open file of the server (the node's, for Switchboard).
      assert.ok(r.levels[1]!.openFiles.reduce((s, f) => s + f.open, 0) >= 100);
    });
  }

  it('ordersFor gives each client process its own loopback source address, after the ones used before', () => {
    const orders = ordersFor(100, 4, { url: 'ws://127.0.0.1:1/' }, 40, 3);
    assert.deepEqual(orders.map((x) => [x.first, x.count, x.localAddress]),
      [[40, 25, '127.0.0.5'], [65, 25, '127.0.0.6'], [90, 25, '127.0.0.7'], [115, 25, '127.0.0.8']]);
  });

  it('renders sections 6 and 7 with both peers', () => {
    const md = renderReport({
      options: o, machine: machineInfo(), loadAfter: [0, 0, 0], versions: { ws: 'x' }, startedAt: new Date().toISOString(), wallMs: 1,
      capacity: [], fanout: [], failover: [], redisFailover: [], notes: [], pinned: false, storm: storms, idleMemory: idle,
    });
    assert.match(md, /## 6\. Connect storm \(60 clients at once\)/);
    assert.match(md, /\| Switchboard \(1 node\) \| 60 \|/);
    assert.match(md, /## 7\. Idle memory at 40 and 100 connections/);
    assert.match(md, /\| raw ws \(1 process\) \| -?[0-9.]+ \| -?[0-9.]+ \| 100 \|/);
  });
});

describe('bench --cores N', () => {
  it('changes nothing on a 2-core machine, and says why', () => {
    const l = planCores(8, 2);
    assert.deepEqual([l.server, l.generator, l.nodes], ['0', '1', []]);
    assert.match(l.note, /no change/);
  });

  it('puts the root on core 0, a core per node, and the generator on the last third on a larger machine', () => {
    const l = planCores(12, 16);
    assert.deepEqual([l.server, l.generator, l.nodes], ['0', '8-11', ['1', '2', '3', '4', '5', '6', '7']]);
  });
});

describe('bench shapes, reduced: a 40-channel chat, two message sizes and a 3 s soak, each counted exactly', () => {
  const quick = quickOptions();
  const chatO: ChatOptions = {
    ...quick.chat!, peers: ['ws-co', 'sb1'], channels: 40, clients: 30, rates: [200], cpuRate: 200, stepMs: 1000, drainMs: 5000,
    warmupMs: 200, quietMaxMs: 1000, concurrency: 15,
  };
  const sizesO: SizesOptions = {
    ...quick.sizes!, peers: ['ws-co', 'sb1'], subscribers: 20, sizes: [{ bytes: 100, rate: 1000 }, { bytes: 65_536, rate: 200 }],
    stepMs: 1000, drainMs: 5000, warmupMs: 200, quietMaxMs: 1000, concurrency: 10,
  };
  const soakO: SoakOptions = { ...quick.soak!, peers: ['ws-co', 'sb1'], subscribers: 20, durationMs: 3000, windowMs: 1000, defaultRate: 1000, drainMs: 5000, concurrency: 10 };
  const chats: ChatRun[] = [];
  const sizes: SizesRun[] = [];
  const soaks: SoakRun[] = [];
  const none = { server: null, generator: null };

  before(async () => {
    for (const id of ['ws-co', 'sb1'] as const) {
      chats.push(await runChat(PEERS[id], 0, chatO, none, () => undefined));
      sizes.push(await runSizes(PEERS[id], 0, sizesO, none, () => undefined));
      soaks.push(await runSoak(PEERS[id], 0, soakO, null, none, () => undefined));
    }
  });

  for (const id of ['ws-co', 'sb1'] as const) {
    it(`${PEERS[id].label}: the chat step delivered every publication to every subscriber of its channel, none lost or duplicated`, () => {
      const r = chats.find((x) => x.peer === id)!;
      assert.equal(r.error, undefined);
      assert.equal(r.steps.length, 1);
      const s = r.steps[0]!;
      assert.ok(s.publications > 0 && s.expected >= s.publications * 2, JSON.stringify(s));
      assert.deepEqual([s.delivered, s.lost, s.duplicates, s.publishErrors], [s.expected, 0, 0, 0]);
    });

    it(`${PEERS[id].label}: both message sizes, 100 B and 64 KB, reached every subscriber`, () => {
      const r = sizes.find((x) => x.peer === id)!;
      assert.equal(r.error, undefined);
      assert.deepEqual(r.steps.map((s) => [s.bytes, s.delivered === s.expected && s.expected > 0, s.lost, s.duplicates]), [[100, true, 0, 0], [65_536, true, 0, 0]]);
    });

    it(`${PEERS[id].label}: the soak counted every delivery, with a latency for each of its windows`, () => {
      const r = soaks.find((x) => x.peer === id)!;
      assert.equal(r.error, undefined);
      assert.equal(r.rateSource, 'default');
      assert.ok(r.expected > 0);
      assert.deepEqual([r.delivered, r.lost, r.duplicates], [r.expected, 0, 0]);
      assert.ok(r.windows.length >= 3 && r.windows.every((w) => w.delivered > 0), JSON.stringify(r.windows));
      assert.ok(Number.isFinite(r.drift));
    });
  }

  it('renders sections 8 to 10 with both peers', () => {
    const md = renderReport({
      options: { ...smokeOptions(), chat: chatO, sizes: sizesO, soak: soakO }, machine: machineInfo(), loadAfter: [0, 0, 0], versions: { ws: 'x' },
      startedAt: new Date().toISOString(), wallMs: 1, capacity: [], fanout: [], failover: [], redisFailover: [], notes: [], pinned: false,
      chat: chats, sizes, soak: soaks,
    });
    assert.match(md, /## 8\. Chat shape/);
    assert.match(md, /## 9\. Message size sweep/);
    assert.match(md, /## 10\. Soak/);
    assert.match(md, /\| Switchboard \(1 node\) \|/);
    assert.match(md, /\| raw ws, coalesced \(1 process\) \|/);
    // Issue 12's chat target stands in the targets table, measured against the coalesced peer.
    assert.match(md, /\| chat shape: server CPU\/delivery at [\d,]+ pub\/s ≤ 1\.3× raw ws coalesced — Switchboard \(1 node\) \| [\d.]+ µs vs [\d.]+ µs; ratio [\d.]+× \| (met|\*\*missed\*\*)/);
    assert.match(md, /\*\*Out of order\*\* counts a publication/);
  });
});
