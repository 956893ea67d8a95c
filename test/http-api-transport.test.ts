/**
 * Transport rules of the server HTTP API (issue 2 item 8, PROTOCOL.md §10.1): 401 without or with a
 * wrong key, 400 for a malformed body, 405 for GET — each leaving the cluster unchanged — and the
 * three ways of presenting the key.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PublicationContext } from 'centrifuge';
import { apiRequest, apiResult } from './support/api-calls.js';
import { connectClient, subscribeTo } from './support/real-clients.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

describe('the server HTTP API transport', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster();
  });
  after(() => cluster.stop());

  /** A subscriber of `channel` (user `user`), ready to prove that nothing happened to either. */
  async function watcher(user: string, channel: string): Promise<{ got: PublicationContext[]; assertUnchanged: () => Promise<void> }> {
    const { client } = await connectClient(cluster, user);
    const { got } = await subscribeTo(client, channel);
    return {
      got,
      // A good publish gets offset 1 and is the only thing delivered: nothing was published, nobody kicked.
      assertUnchanged: async () => {
        const marker = await apiResult<{ offset?: number }>(cluster, 'publish', { channel, data: { marker: true } });
        assert.equal(marker.offset, 1, 'history had no publication before the marker');
        await waitFor(() => got.length > 0, { what: 'the marker publication' });
        assert.deepEqual(got.map((p) => p.data), [{ marker: true }]);
        assert.equal(client.state, 'connected');
      },
    };
  }

  it('refuses a request without a key with 401 and an empty body, and changes nothing', async () => {
    const w = await watcher('nokey', 'chat:no-key');
    const published = await cluster.api('publish', { channel: 'chat:no-key', data: { sneaky: true } }, null);
    assert.deepEqual([published.status, published.text], [401, '']);
    const kicked = await cluster.api('disconnect', { user: 'nokey' }, null);
    assert.deepEqual([kicked.status, kicked.text], [401, '']);
    await w.assertUnchanged();
  });

  it('refuses a request with a wrong key with 401 and an empty body, and changes nothing', async () => {
    const w = await watcher('wrongkey', 'chat:wrong-key');
    const published = await cluster.api('publish', { channel: 'chat:wrong-key', data: { sneaky: true } }, `${cluster.config.apiKey}x`);
    assert.deepEqual([published.status, published.text], [401, '']);
    const kicked = await cluster.api('disconnect', { user: 'wrongkey' }, 'not-the-key');
    assert.deepEqual([kicked.status, kicked.text], [401, '']);
    const history = await apiRequest(cluster, 'history', { headers: { authorization: 'apikey not-the-key' }, body: '{"channel":"chat:wrong-key"}' });
    assert.equal(history.status, 401);
    await w.assertUnchanged();
  });

  it('refuses a malformed body with 400 and a plain-text reason, and changes nothing', async () => {
    const w = await watcher('badbody', 'chat:bad-body');
    for (const body of ['{"channel":"chat:bad-body","data":', '[{"channel":"chat:bad-body","data":1}]', 'channel=chat:bad-body']) {
      const res = await cluster.api('publish', body);
      assert.equal(res.status, 400, `${body} → ${res.status}`);
      assert.equal(res.body, undefined, 'the reason is plain text');
      assert.ok(res.text.length > 0, 'the reason is not empty');
    }
    const kicked = await cluster.api('disconnect', '{"user":"badbody"');
    assert.equal(kicked.status, 400);
    await w.assertUnchanged();
  });

  it('answers GET with 405 and Allow: POST, and changes nothing', async () => {
    const w = await watcher('getter', 'chat:get');
    const res = await apiRequest(cluster, 'publish', { httpMethod: 'GET', headers: { 'x-api-key': cluster.config.apiKey } });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    await w.assertUnchanged();
  });

  it('accepts the key as "Authorization: apikey <key>" and as ?api_key=', async () => {
    const w = await watcher('keyholder', 'chat:key-forms');
    const body = (n: number) => JSON.stringify({ channel: 'chat:key-forms', data: { n } });
    const byHeader = await apiRequest(cluster, 'publish', { headers: { authorization: `apikey ${cluster.config.apiKey}` }, body: body(1) });
    assert.equal(byHeader.status, 200, byHeader.text);
    assert.equal((JSON.parse(byHeader.text) as { result: { offset: number } }).result.offset, 1);
    const byQuery = await apiRequest(cluster, 'publish', { query: `api_key=${encodeURIComponent(cluster.config.apiKey)}`, body: body(2) });
    assert.equal(byQuery.status, 200, byQuery.text);
    assert.equal((JSON.parse(byQuery.text) as { result: { offset: number } }).result.offset, 2);
    await waitFor(() => w.got.length === 2, { what: 'both publications' });
    assert.deepEqual(w.got.map((p) => p.data), [{ n: 1 }, { n: 2 }]);
  });
});
