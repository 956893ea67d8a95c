import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterSnapshot, NodeSnapshot } from '../../../shared/admin/admin-model.js';
import { WARMUP_MS } from '../../../shared/admin/capacity-model.js';
import { CapacityMeter } from './capacity-meter.js';

const KB = 1024;
const MB = 1024 * KB;

function node(over: Partial<NodeSnapshot>): NodeSnapshot {
  return {
    id: 'node-1', pid: 101, state: 'healthy', uptimeMs: 1000, restarts: 0, connections: 0, users: 0, subscriptions: 0,
    messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 1, rss: 50 * MB, heapUsed: 0,
    loopDelayP50Ms: 0, loopDelayP99Ms: 0, ...over,
  };
}

function snapshot(at: number, nodes: NodeSnapshot[]): ClusterSnapshot {
  return {
    at, nodes, strategy: 'least-connections', autoRestart: true, proxies: [],
    totals: { nodesUp: nodes.length, nodesTotal: nodes.length, connections: 0, users: 0, channels: 0, subscriptions: 0, messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, publicationsPerSec: 0 },
  };
}

const self = { cpuPercent: 6, rss: 120 * MB };

describe('the capacity meter', () => {
  it('says plainly that nothing is measured before any connection or delivery', () => {
    const m = new CapacityMeter();
    for (let i = 0; i < 20; i++) m.add(snapshot(i * 1000, [node({})]), self);
    const c = m.costs();
    assert.equal(c.memory, null);
    assert.equal(c.cpu, null);
    assert.match(c.missing.join('\n'), /Memory per connection: not enough data yet — no node has held a connection/);
    assert.match(c.missing.join('\n'), /CPU per delivery: not enough data yet — nothing has been delivered/);
    assert.equal(c.samples, 20);
  });

  it('fits RSS per connection across a ramp and CPU per delivery across rates, pooling every node of its own', () => {
    const m = new CapacityMeter();
    for (let i = 0; i < 60; i++) {
      const conns = Math.min(300, i * 10);
      const out = i < 30 ? 0 : (i - 29) * 50;
      const nodes = ['node-1', 'node-2'].map((id, k) => node({
        id, pid: 100 + k, connections: conns, messagesOutPerSec: out, rss: 50 * MB + conns * 8 * KB, cpuPercent: 2 + out * 0.004,
      }));
      nodes.push(node({ id: 'sv-b/node-1', supervisor: 'sv-b', pid: 999, connections: 5000, rss: 900 * MB }));
      m.add(snapshot(i * 1000, nodes), self);
    }
    const c = m.costs();
    assert.ok(c.memory, 'a memory fit');
    assert.equal(Math.round(c.memory.slope), 8 * KB);
    assert.equal(Math.round(c.memory.intercept / MB), 50);
    assert.equal(c.memory.method, 'fit');
    assert.ok(c.cpu, 'a CPU fit');
    assert.equal(Math.round(c.cpu.slope * 1e4) / 1e4, 0.004);
    assert.equal(c.samples, 120, 'another supervisor\'s node is not sampled');
    assert.equal(c.at.nodes, 2);
    assert.equal(c.supervisorCpuPercent, 6);
    assert.equal(c.supervisorRss, 120 * MB);
    const check = m.check(c)!;
    assert.equal(check.connectionsPerNode, 300);
    assert.equal(check.observedRssPerNode, 50 * MB + 300 * 8 * KB);
    assert.equal(check.predictedRssPerNode, check.observedRssPerNode);
  });

  it('fits the slope between an idle stretch and a loaded one once the node is warm', () => {
    const m = new CapacityMeter();
    const at = (i: number, connections: number, rss: number) => m.add(snapshot(i * 1000, [node({ connections, rss })]), self);
    for (let i = 0; i < 25; i++) at(i, 200, (i < 10 ? 60 : 40) * MB + 200 * 10 * KB);
    for (let i = 25; i < 30; i++) at(i, 0, 40 * MB);
    for (let i = 30; i < 55; i++) at(i, 200, 40 * MB + 200 * 10 * KB);
    const c = m.costs();
    assert.equal(c.memory?.method, 'fit');
    assert.equal(Math.round(c.memory!.slope), 10 * KB, 'the startup garbage of the first 20 s is left out');
    assert.equal(c.memory!.samples, 55 - WARMUP_MS / 1000);
  });

  it('says it waits for a node to warm up before sampling its memory', () => {
    const m = new CapacityMeter();
    for (let i = 0; i < 15; i++) m.add(snapshot(i * 1000, [node({ connections: 100, rss: 60 * MB })]), self);
    assert.equal(m.costs().memory, null);
    assert.match(m.costs().missing.join('\n'), /sampled from 20 s after its first connection/);
  });

  it('falls back to the node\'s remembered idle RSS once its idle samples left the 5-minute window', () => {
    const m = new CapacityMeter();
    for (let i = 0; i < 25; i++) m.add(snapshot(i * 1000, [node({ connections: 100, rss: 41 * MB })]), self);
    for (let i = 25; i < 30; i++) m.add(snapshot(i * 1000, [node({ connections: 0, rss: 40 * MB })]), self);
    for (let i = 400; i < 430; i++) m.add(snapshot(i * 1000, [node({ connections: 200, rss: 40 * MB + 200 * 10 * KB })]), self);
    const c = m.costs();
    assert.equal(c.samples, 30, 'the idle samples are gone');
    assert.equal(c.memory?.method, 'average');
    assert.equal(Math.round(c.memory!.slope), 10 * KB);
    assert.equal(c.memory!.intercept, 40 * MB);
  });

  it('takes as the idle baseline the least RSS seen idle, not the first idle second still carrying the load before', () => {
    const m = new CapacityMeter();
    for (let i = 0; i < 25; i++) m.add(snapshot(i * 1000, [node({ connections: 100, rss: 46 * MB })]), self);
    for (let i = 25; i < 30; i++) m.add(snapshot(i * 1000, [node({ connections: 0, rss: (i === 25 ? 46 : 40) * MB })]), self);
    for (let i = 400; i < 430; i++) m.add(snapshot(i * 1000, [node({ connections: 200, rss: 40 * MB + 200 * 10 * KB })]), self);
    const c = m.costs();
    assert.equal(c.memory?.method, 'average');
    assert.equal(c.memory!.intercept, 40 * MB);
    assert.equal(Math.round(c.memory!.slope), 10 * KB);
  });

  it('takes the upper bound, and says so, when RSS noise hides the cost of a connection', () => {
    const m = new CapacityMeter();
    const rss = (i: number, even: number, odd: number) => (i % 2 === 0 ? even : odd) * MB;
    for (let i = 0; i < 25; i++) m.add(snapshot(i * 1000, [node({ connections: 300, rss: rss(i, 89, 95) })]), self);
    for (let i = 25; i < 35; i++) m.add(snapshot(i * 1000, [node({ connections: 0, rss: rss(i, 90, 94) })]), self);
    for (let i = 35; i < 55; i++) m.add(snapshot(i * 1000, [node({ connections: 300, rss: rss(i, 89, 95) })]), self);
    const c = m.costs();
    assert.equal(c.memory?.method, 'bound');
    assert.ok(c.memory!.slope > 0);
    assert.match(c.missing.join('\n'), /Memory per connection is below the noise of RSS at this load \(fit -?[\d.]+ KB ± [\d.]+ KB over 0–300 connections per node\): the planner takes the upper bound/);
  });

  it('leaves out of the CPU fit the seconds when connections were arriving', () => {
    const m = new CapacityMeter();
    for (let i = 0; i < 40; i++) {
      const storm = i % 2 === 1;
      m.add(snapshot(i * 1000, [node({ connections: 100 + Math.ceil(i / 2) * 50, messagesOutPerSec: (i % 10) * 100, cpuPercent: storm ? 90 : 1 + (i % 10) * 0.5 })]), self);
    }
    const c = m.costs();
    assert.ok(c.cpu);
    assert.ok(Math.abs(c.cpu.slope - 0.005) < 1e-9, `slope ${c.cpu.slope}`);
  });

  it('takes no second sample from a snapshot less than half a second after the last', () => {
    const m = new CapacityMeter();
    m.add(snapshot(1000, [node({})]), self);
    m.add(snapshot(1200, [node({})]), self);
    assert.equal(m.costs().samples, 1);
  });
});
