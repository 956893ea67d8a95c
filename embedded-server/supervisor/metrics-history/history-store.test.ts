import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterSnapshot, NodeSnapshot } from '../../../shared/admin/admin-model.js';
import { MetricsHistoryStore } from './history-store.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const HOUR = 3600_000;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sb-history-'));
  dirs.push(d);
  return d;
}

function node(id: string, f: Partial<NodeSnapshot>): NodeSnapshot {
  return {
    id, pid: 1, state: 'healthy', uptimeMs: 1, restarts: 0, connections: 0, users: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0,
    bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 0, rss: 0, heapUsed: 0, loopDelayP50Ms: 0, loopDelayP99Ms: 0, ...f,
  };
}

/** A snapshot of two nodes whose figures grow with `i`. */
function snap(at: number, i: number): ClusterSnapshot {
  const nodes = [
    node('node-1', { connections: i, messagesOutPerSec: 10 * i, cpuPercent: i, loopDelayP99Ms: i, rss: 1000 * i }),
    node('node-2', { connections: 1, messagesOutPerSec: 5, cpuPercent: 2, loopDelayP99Ms: 3, rss: 500 }),
  ];
  const totals = {
    nodesUp: 2, nodesTotal: 2, connections: i + 1, users: 0, channels: 0, subscriptions: 0, messagesInPerSec: 0,
    messagesOutPerSec: 10 * i + 5, bytesInPerSec: 0, bytesOutPerSec: 0, publicationsPerSec: 0,
  };
  return { at, nodes, totals, strategy: 'least-connections', autoRestart: true, proxies: [] };
}

function openStore(dir: string, warnings: string[] = []): MetricsHistoryStore {
  const store = MetricsHistoryStore.open(dir, (w) => warnings.push(w));
  assert.ok(store, `the store opens in ${dir}`);
  return store;
}

/** Samples at 1 Hz from `start` for `seconds`, the i-th with figure `i + 1`. */
function feed(store: MetricsHistoryStore, start: number, seconds: number): void {
  for (let i = 0; i < seconds; i++) store.record(snap(start + i * 1000, i + 1));
}

describe('metrics history store', () => {
  it('rolls ten 1 Hz samples up into one 10 s step of their averages and peaks', async () => {
    const store = openStore(tempDir());
    feed(store, T0, 11); // the 11th sample opens the next step and closes the first
    const h = await store.query({ from: T0 - 2 * HOUR, to: T0 + 10_000 - 1, maxPoints: 1000 }, T0 + 2 * HOUR);
    assert.equal(h.tier, '10s');
    const [step] = h.nodes['node-1']!;
    assert.deepEqual(
      { at: step!.at, samples: step!.samples, connections: step!.connections, connectionsMax: step!.connectionsMax, out: step!.messagesOutPerSec, rss: step!.rssBytes, rssMax: step!.rssBytesMax },
      { at: T0, samples: 10, connections: 5.5, connectionsMax: 10, out: 55, rss: 5500, rssMax: 10_000 },
    );
    const total = h.total[0]!;
    assert.equal(total.loopDelayP99MsMax, 10, "the cluster's loop delay is its worst node's");
    assert.equal(total.rssBytes, 5500 + 500, "the cluster's memory is the nodes' sum");
    await store.close();
  });

  it('answers a 1 h range from the 1 s tier in at most maxPoints steps, each averaging its seconds', async () => {
    const store = openStore(tempDir());
    feed(store, T0, 40);
    const h = await store.query({ from: T0, to: T0 + 40_000, maxPoints: 8 }, T0 + 40_000);
    assert.equal(h.tier, '1s');
    assert.equal(h.intervalMs, 5000);
    assert.equal(h.total.length, 8);
    assert.deepEqual(h.total.map((p) => p.samples), [5, 5, 5, 5, 5, 5, 5, 5]);
    assert.equal(h.nodes['node-1']![0]!.connections, 3, 'the mean of 1…5');
    await store.close();
  });

  it('gives only the asked node beside the total', async () => {
    const store = openStore(tempDir());
    feed(store, T0, 3);
    const h = await store.query({ from: T0, to: T0 + 3000, node: 'node-2', maxPoints: 100 }, T0 + 3000);
    assert.deepEqual(Object.keys(h.nodes), ['node-2']);
    assert.equal(h.total.length, 3);
    await store.close();
  });

  it('reads back what it wrote, markers included, after being closed and opened again', async () => {
    const dir = tempDir();
    const first = openStore(dir);
    feed(first, T0, 30);
    first.mark({ at: T0 + 5000, type: 'fault.injected', node: 'node-2', text: 'kill node-2 (by test)' });
    await first.close();
    const again = openStore(dir);
    const h = await again.query({ from: T0, to: T0 + 60_000, maxPoints: 1000 }, T0 + 60_000);
    assert.equal(h.total.length, 30);
    assert.equal(h.total[29]!.connections, 31);
    assert.deepEqual(h.markers, [{ at: T0 + 5000, type: 'fault.injected', node: 'node-2', text: 'kill node-2 (by test)' }]);
    const tens = await again.query({ from: T0, to: T0 + 60_000, maxPoints: 1000 }, T0 + 2 * HOUR);
    assert.deepEqual(tens.total.map((p) => p.samples), [10, 10, 10], 'the 10 s steps, the last one written at close');
    await again.close();
  });

  it('skips a record torn by a crash and goes on appending after it', async () => {
    const dir = tempDir();
    const first = openStore(dir);
    feed(first, T0, 5);
    await first.close();
    const [segment] = readdirSync(join(dir, '1s'));
    appendFileSync(join(dir, '1s', segment!), '{"at":1767268805000,"s":{"total":[1,2,'); // cut mid-record
    const again = openStore(dir);
    feed(again, T0 + 10_000, 5);
    const h = await again.query({ from: T0, to: T0 + 60_000, maxPoints: 1000 }, T0 + 60_000);
    assert.deepEqual(h.total.map((p) => (p.at - T0) / 1000), [0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
    await again.close();
  });

  it('deletes 1 s segments once they are older than an hour, and keeps the 10 s tier', async () => {
    const dir = tempDir();
    const store = openStore(dir);
    feed(store, T0, 2 * 3600 + 10);
    await store.flush();
    const oneSecond = readdirSync(join(dir, '1s')).map((f) => Number.parseInt(f, 10)).sort((a, b) => a - b);
    assert.ok(oneSecond[0]! >= T0 + 2 * HOUR - HOUR - 10 * 60_000, `the oldest 1 s segment starts ${(oneSecond[0]! - T0) / 60_000} min in`);
    assert.ok(oneSecond.length <= 8, `${oneSecond.length} segments of 10 min`);
    assert.equal(readdirSync(join(dir, '10s')).length, 1, 'one 4 h block');
    const h = await store.query({ from: T0, to: T0 + 2 * HOUR, maxPoints: 1000 }, T0 + 2 * HOUR);
    assert.equal(h.tier, '10s');
    assert.equal(h.total[0]!.at, T0, 'the start is still there at 10 s');
    await store.close();
  });

  it('refuses a directory another running process writes to', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'writer.lock'), String(process.ppid));
    const warnings: string[] = [];
    assert.equal(MetricsHistoryStore.open(dir, (w) => warnings.push(w)), null);
    assert.match(warnings[0]!, /in use by process/);
  });

  it('warns once and goes on when the disk refuses a write', async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const store = openStore(dir, warnings);
    rmSync(join(dir, '1s'), { recursive: true });
    writeFileSync(join(dir, '1s'), 'not a directory');
    for (let i = 0; i < 5; i++) {
      store.record(snap(T0 + i * 1000, 1));
      await store.flush();
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /cannot write .*the live charts keep working/);
    const h = await store.query({ from: T0, to: T0 + 60_000, maxPoints: 100 }, T0 + 60_000);
    assert.deepEqual(h.total, [], 'nothing was kept, and the query still answers');
    await store.close();
  });
});
