/**
 * Channel churn on a real cluster (issue 15, item 7): 15,000 idle channel streams are capped by
 * cluster.idle_channel_limit, /metrics counts the drops, and a channel with live history that the
 * cap pushed out comes back with a new epoch, so its returning client is told recovered:false.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseExposition } from './support/prometheus-text.js';
import type { RawPeer } from './support/raw-peer.js';
import { connectRaw } from './support/raw-peer.js';
import type { TestCluster } from './support/test-cluster.js';
import { startTestCluster } from './support/test-cluster.js';

const LIMIT = 1_000;
const API_CHURN = 15_000;
const CLIENT_CHURN = 300;

describe('idle channels on a real cluster', () => {
  let cluster: TestCluster;
  let peer: RawPeer;
  let nextId = 10;

  before(async () => {
    cluster = await startTestCluster({ nodes: 1, idleChannelLimit: LIMIT });
    peer = await connectRaw(cluster, 'alice');
  });
  after(() => cluster.stop());

  async function call(command: object): Promise<Record<string, unknown>> {
    const id = nextId++;
    peer.send({ id, ...command });
    return peer.reply(id);
  }

  async function scrape(): Promise<ReturnType<typeof parseExposition>> {
    const res = await fetch(`http://127.0.0.1:${cluster.handle.port}/metrics`);
    return parseExposition(await res.text());
  }

  it('caps 15,000 idle channels, counts the drops, and tells a returning client recovered:false with a new epoch', async () => {
    const first = (await call({ subscribe: { channel: 'chat:keep' } })).subscribe as { epoch: string; offset?: number };
    const published = await cluster.api('publish', { channel: 'chat:keep', data: { text: 'kept in history' } });
    assert.equal(published.status, 200, published.text);
    await call({ unsubscribe: { channel: 'chat:keep' } });

    for (let i = 0; i < CLIENT_CHURN; i += 100) {
      const channels = Array.from({ length: 100 }, (_, k) => `chat:left-${i + k}`);
      await Promise.all(channels.map((channel) => call({ subscribe: { channel } })));
      await Promise.all(channels.map((channel) => call({ unsubscribe: { channel } })));
    }
    for (let i = 0; i < API_CHURN; i += 1_000) {
      const commands = Array.from({ length: 1_000 }, (_, k) => ({ history: { channel: `chat:idle-${i + k}`, limit: 0 } }));
      const res = await cluster.api('batch', { commands });
      assert.equal(res.status, 200, res.text.slice(0, 200));
    }

    const metrics = await scrape();
    assert.equal(metrics.value('switchboard_broker_idle_channels'), LIMIT);
    const created = 1 + CLIENT_CHURN + API_CHURN;
    assert.equal(metrics.value('switchboard_broker_idle_channels_dropped_total', { reason: 'limit' }), created - LIMIT);

    const back = await call({ subscribe: { channel: 'chat:keep', recover: true, offset: 1, epoch: first.epoch } });
    const result = back.subscribe as { epoch: string; recovered?: boolean; publications?: unknown[] };
    assert.ok(result, JSON.stringify(back));
    assert.notEqual(result.recovered, true, 'never a silent hole');
    assert.notEqual(result.epoch, first.epoch, 'the new epoch tells the client its stream was lost');
  });
});
