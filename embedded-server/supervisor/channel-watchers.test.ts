import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CUT_CHARS, ChannelWatchers, FLUSH_MS, MAX_DATA_BYTES, publicationItem } from './channel-watchers.js';
import type { ActivitySampling, ChannelActivity } from '../../shared/admin/admin-model.js';

describe('channel watchers', () => {
  it('describes a client publication with offset, epoch, size in bytes and the client as publisher', () => {
    const item = publicationItem({ kind: 'pub', channel: 'c', pub: { data: { t: 'é' }, info: { user: 'ann', client: 'c1' }, offset: 7 }, epoch: 'E' }, 5);
    assert.deepEqual(item, { kind: 'pub', data: { t: 'é' }, at: 5, size: 10, source: 'client', info: { user: 'ann', client: 'c1' }, offset: 7, epoch: 'E' });
  });

  it('names the server path of a marked publication and says unknown for an unmarked one', () => {
    const api = publicationItem({ kind: 'pub', channel: 'c', pub: { data: 1 }, origin: 'http-api' }, 1);
    const bare = publicationItem({ kind: 'pub', channel: 'c', pub: { data: 1 } }, 1);
    assert.deepEqual([api.kind === 'pub' && api.source, bare.kind === 'pub' && bare.source], ['http-api', 'unknown']);
  });

  it('cuts a payload larger than the push bound and keeps its true size', () => {
    const big = 'x'.repeat(MAX_DATA_BYTES + 10);
    const item = publicationItem({ kind: 'pub', channel: 'c', pub: { data: big } }, 1);
    assert.ok(item.kind === 'pub');
    assert.deepEqual([item.cut, item.size, (item.data as string).length], [true, MAX_DATA_BYTES + 12, CUT_CHARS]);
  });

  it('pushes a lone item at once, batches the rest, and counts what sampling left out', async () => {
    const watchers = new ChannelWatchers();
    const pushes: { items: ChannelActivity[]; sampling?: ActivitySampling }[] = [];
    const dispose = watchers.watch('feed:x', (items, sampling) => pushes.push({ items, ...(sampling ? { sampling } : {}) }));
    watchers.observe({ kind: 'join', channel: 'feed:x', info: { user: 'u', client: 'c' } });
    assert.equal(pushes.length, 1);
    for (let i = 1; i <= 500; i++) watchers.observe({ kind: 'pub', channel: 'feed:x', pub: { data: i, offset: i } });
    watchers.observe({ kind: 'pub', channel: 'other', pub: { data: 0 } });
    await new Promise((r) => setTimeout(r, FLUSH_MS * 2));
    dispose();
    const pubs = pushes.flatMap((p) => p.items.filter((i) => i.kind === 'pub'));
    const counted = pushes.reduce((n, p) => n + (p.sampling?.publications ?? 0), 0);
    const sent = pushes.reduce((n, p) => n + (p.sampling?.sent ?? 0), 0);
    assert.equal(counted, 500);
    assert.equal(sent, pubs.length);
    assert.ok(pubs.length < 500, `sampled down to ${pubs.length}`);
    assert.ok(pushes.length <= 3, `${pushes.length} pushes`);
  });
});
