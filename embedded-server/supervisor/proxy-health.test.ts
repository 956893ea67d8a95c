import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asNodeId } from '../../shared/ids.js';
import type { NodeStats, ProxyCounts } from '../../shared/ipc/node-ipc.js';
import { PROXY_LATENCY_BOUNDS_MS } from '../../shared/proxy/proxy-latency.js';
import type { ProxyEndpoint, ProxySettings } from '../../shared/proxy/proxy-settings.js';
import { NO_PROXIES } from '../../shared/proxy/proxy-settings.js';
import { NodeProcess } from './node-process.js';
import { mergeLatency, ProxyHealthBoard, quantileBound } from './proxy-health.js';

const BUCKETS = PROXY_LATENCY_BOUNDS_MS.length + 1;
const CONNECT = 'client.proxy.connect';
const RPC = 'rpc.proxy';

/** Bucket counts: `{ 5: 3 }` puts three calls in the ≤ 50 ms bucket. */
function buckets(counts: Record<number, number> = {}): number[] {
  const out = new Array<number>(BUCKETS).fill(0);
  for (const [i, n] of Object.entries(counts)) out[Number(i)] = n;
  return out;
}

const counts = (calls: number, failures: number, latency: Record<number, number> = { 0: calls }): ProxyCounts => ({ calls, failures, latency: buckets(latency) });

function endpoint(name: string, url: string): ProxyEndpoint {
  return { name, endpoint: url, timeoutMs: 1000, httpHeaders: [], emulatedHeaders: [], staticHeaders: {}, includeConnectionMeta: false, statusTransforms: [] };
}

const settings: ProxySettings = {
  ...NO_PROXIES,
  endpoints: { [CONNECT]: endpoint(CONNECT, 'http://127.0.0.1:9/connect'), [RPC]: endpoint(RPC, 'http://127.0.0.1:9/rpc') },
  connect: CONNECT,
};

function stats(proxies: Record<string, ProxyCounts>): NodeStats {
  return {
    connections: 0, users: 0, subscriptions: 0, messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0,
    cpuMicros: 0, rss: 0, heapUsed: 0, loopDelayP50: 0, loopDelayP99: 0, proxies,
  };
}

/** A node process as the supervisor sees it (no child: only its reports matter here), 1 s report period. */
const node = (id: string, restarts = 0): NodeProcess => new NodeProcess(asNodeId(id), `sb/${id}#${restarts}`, 1000);

const row = (board: ProxyHealthBoard, procs: NodeProcess[], name: string) => board.health(procs).find((r) => r.name === name)!;

describe('proxy latency buckets', () => {
  it('merges the buckets of several nodes bucket by bucket', () => {
    const merged = mergeLatency(buckets(), buckets({ 0: 3, 5: 1 }));
    mergeLatency(merged, buckets({ 0: 1, 12: 2 }));
    assert.deepEqual(merged, buckets({ 0: 4, 5: 1, 12: 2 }));
  });

  it('answers the upper bound of the bucket that holds the 99th percentile', () => {
    assert.deepEqual(quantileBound(buckets({ 0: 98, 5: 1, 7: 1 })), { le: 50 }, 'the 99th of 100 calls is in the ≤ 50 ms bucket');
    assert.deepEqual(quantileBound(buckets({ 0: 100 })), { le: 1 });
    assert.deepEqual(quantileBound(buckets({ 3: 198, 9: 2 })), { le: 10 }, 'two slow calls of 200 are above the 99th percentile');
    assert.deepEqual(quantileBound(buckets({ 3: 197, 9: 3 })), { le: 1000 }, 'three slow calls of 200 are not');
  });

  it('says "slower than the last bound" when the percentile falls in the last bucket', () => {
    assert.deepEqual(quantileBound(buckets({ 12: 1 })), { gt: 5000 });
  });

  it('has no percentile without calls', () => {
    assert.equal(quantileBound(buckets()), null);
  });
});

describe('proxy health board', () => {
  it('lists every configured proxy in config order, one without calls as 0 calls/s and no p99', () => {
    const board = new ProxyHealthBoard(settings);
    const n = node('node-1');
    n.onStats(0, stats({ [CONNECT]: counts(0, 0), [RPC]: counts(0, 0) }));
    n.onStats(1000, stats({ [CONNECT]: counts(0, 0), [RPC]: counts(0, 0) }));
    assert.deepEqual(board.health([n]), [
      { name: CONNECT, endpoint: 'http://127.0.0.1:9/connect', callsPerSec: 0, failuresPerSec: 0, failureShare: null, p99: null, calls: 0, failures: 0 },
      { name: RPC, endpoint: 'http://127.0.0.1:9/rpc', callsPerSec: 0, failuresPerSec: 0, failureShare: null, p99: null, calls: 0, failures: 0 },
    ]);
  });

  it('has no rows without proxies', () => {
    assert.deepEqual(new ProxyHealthBoard(NO_PROXIES).health([node('node-1')]), []);
  });

  it('sums calls and failures per second over each node\'s last report period, with the failure share and the merged p99', () => {
    const board = new ProxyHealthBoard(settings);
    const a = node('node-1');
    const b = node('node-2');
    a.onStats(0, stats({ [RPC]: counts(4, 0) }));
    a.onStats(1000, stats({ [RPC]: counts(14, 2, { 0: 13, 6: 1 }) })); // 10 calls in 1 s, 2 failed, one ≤ 100 ms
    b.onStats(0, stats({ [RPC]: counts(0, 0) }));
    b.onStats(2000, stats({ [RPC]: counts(40, 8) })); // 40 calls in 2 s, 8 failed
    const r = row(board, [a, b], RPC);
    assert.equal(r.callsPerSec, 30);
    assert.equal(r.failuresPerSec, 6);
    assert.equal(r.failureShare, 0.2);
    assert.deepEqual(r.p99, { le: 100 }, 'of 50 calls in the period, the 99th percentile is the slowest: node-1\'s ≤ 100 ms call');
    assert.equal(r.calls, 54);
    assert.equal(r.failures, 10);
  });

  it('measures rates over the period of the message rates: an early report does not move it', () => {
    const board = new ProxyHealthBoard(settings);
    const n = node('node-1');
    n.onStats(0, stats({ [RPC]: counts(0, 0) }));
    n.onStats(1000, stats({ [RPC]: counts(5, 0) }));
    n.onStats(1200, stats({ [RPC]: counts(9, 0) })); // a count changed: an early report
    const r = row(board, [n], RPC);
    assert.equal(r.callsPerSec, 5, 'still the period 0–1000 ms');
    assert.equal(r.calls, 9, 'totals are the latest report\'s');
  });

  it('keeps a restarted node\'s calls in the totals and measures its rates from the new process only', () => {
    const board = new ProxyHealthBoard(settings);
    const first = node('node-1');
    first.onStats(0, stats({ [CONNECT]: counts(0, 0) }));
    first.onStats(1000, stats({ [CONNECT]: counts(100, 7, { 0: 90, 12: 10 }) }));
    first.exited = true;
    board.retire(first);

    const second = node('node-1', 1); // the pool's new process for the slot: counters from zero
    second.onStats(1500, stats({ [CONNECT]: counts(2, 0) }));
    let r = row(board, [second], CONNECT);
    assert.equal(r.calls, 102);
    assert.equal(r.failures, 7);
    assert.equal(r.callsPerSec, 0, 'one report of the new process makes no period yet');
    assert.equal(r.p99, null, 'the old process\'s slow calls are not in the new period');

    second.onStats(2500, stats({ [CONNECT]: counts(5, 1) }));
    r = row(board, [second], CONNECT);
    assert.equal(r.calls, 105);
    assert.equal(r.failures, 8);
    assert.equal(r.callsPerSec, 3);
    assert.equal(r.failuresPerSec, 1);
    assert.deepEqual(r.p99, { le: 1 });
  });

  it('leaves an exited process out of the rates until it is retired and replaced', () => {
    const board = new ProxyHealthBoard(settings);
    const n = node('node-1');
    n.onStats(0, stats({ [CONNECT]: counts(0, 0) }));
    n.onStats(1000, stats({ [CONNECT]: counts(10, 0) }));
    n.exited = true;
    board.retire(n);
    const r = row(board, [n], CONNECT);
    assert.equal(r.callsPerSec, 0);
    assert.equal(r.calls, 10, 'counted once, as retired');
  });
});
