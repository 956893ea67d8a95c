import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasHistory } from '../../shared/channels/channel-options.js';
import { parseChannel } from '../../shared/channels/channel-name.js';
import { defaultChannelSettings, describeNamespaces, describeOptions } from './default-namespaces.js';

describe('default namespaces', () => {
  const settings = defaultChannelSettings();
  const { chat, typing, feed, personal } = settings.namespaces;

  it('let chat recover without the client asking, with presence and subscriber publishing', () => {
    assert.deepEqual([chat.historySize, chat.historyTtlMs], [100, 300_000]);
    assert.ok(chat.forceRecovery && chat.forcePositioning && chat.presence && chat.joinLeave);
    assert.ok(chat.allowSubscribeForClient && chat.allowPublishForSubscriber);
    assert.ok(chat.allowPresenceForSubscriber && chat.allowHistoryForSubscriber);
  });

  it('keep no history for typing and rate-limit its publications', () => {
    assert.equal(hasHistory(typing), false);
    assert.ok(typing.allowPublishForSubscriber && typing.publishRateLimit > 0);
    assert.equal(typing.publicationDataFormat, 'json');
  });

  it('let only the server publish to feed and personal channels', () => {
    for (const o of [feed, personal]) {
      assert.ok(hasHistory(o) && o.forceRecovery);
      assert.equal(o.allowPublishForClient || o.allowPublishForSubscriber || o.allowPublishForAnonymous, false);
    }
  });

  it('make personal:#alice a channel only alice may subscribe to', () => {
    const parsed = parseChannel('personal:#alice', settings);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.allowedUsers, ['alice']);
    assert.equal(parsed.value.options.allowUserLimitedChannels, true);
  });

  it('are described one line per namespace for serve to print', () => {
    const lines = describeNamespaces(settings);
    assert.equal(lines.length, 4);
    assert.match(lines[0] ?? '', /^chat: +history 100 \/ 5m · recovery/);
    assert.match(lines[1] ?? '', /^typing: +no history .*max 5\/s/);
    assert.match(lines[2] ?? '', /^feed: .*publish: server only/);
    assert.match(lines[3] ?? '', /^personal: .*own #user channels/);
  });

  it('describe a namespace whose backend decides through proxies, and its deltas and filters', () => {
    const line = describeOptions({
      ...chat, subscribeProxy: 'channel.proxy.subscribe', publishProxy: 'rooms', subRefreshProxy: 'channel.proxy.sub_refresh',
      allowDelta: true, deltaPublish: false, allowTagsFilter: true,
    });
    assert.match(line, /subscribe: your backend decides \(channel\.proxy\.subscribe\)/);
    assert.match(line, /publish: your backend decides \(rooms\)/);
    assert.match(line, /subscriptions refreshed by channel\.proxy\.sub_refresh/);
    assert.match(line, /fossil deltas \(on request\) · tags filters/);
  });

  it('are fresh copies each time, so one cluster cannot change another', () => {
    const a = defaultChannelSettings();
    a.namespaces.chat.historySize = 1;
    assert.equal(defaultChannelSettings().namespaces.chat.historySize, 100);
  });
});
