import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelSettings } from '../../../shared/channels/channel-options.js';
import { DEFAULT_CHANNEL_OPTIONS } from '../../../shared/channels/channel-options.js';
import { Disconnects, Errors } from '../../../shared/protocol/codes.js';
import type { CloseCode } from '../../../shared/protocol/codes.js';
import type { NodeRuntime } from '../node-runtime.js';
import type { Session } from '../session.js';
import { addRequestedSubs, uniConnectDisconnect } from './uni-connect.js';

describe('uni connect: errors become disconnects', () => {
  it('maps as Centrifugo does by default: expired → 3005, too many requests → 3013, permission denied → 3507, else 3004', () => {
    assert.deepEqual(uniConnectDisconnect([], Errors.tokenExpired), Disconnects.expired);
    assert.deepEqual(uniConnectDisconnect([], Errors.expired), Disconnects.expired);
    assert.deepEqual(uniConnectDisconnect([], Errors.tooManyRequests), Disconnects.tooManyRequests);
    assert.deepEqual(uniConnectDisconnect([], Errors.permissionDenied), Disconnects.permissionDenied);
    assert.deepEqual(uniConnectDisconnect([], Errors.internal), Disconnects.internal);
    assert.deepEqual(uniConnectDisconnect([], { code: 4321, message: 'backend says no' }), Disconnects.internal);
  });

  it('client.connect_code_to_unidirectional_disconnect wins over the defaults', () => {
    const transforms = [{ code: 109, to: { code: 4109, reason: 'log in again' } }];
    assert.deepEqual(uniConnectDisconnect(transforms, Errors.tokenExpired), { code: 4109, reason: 'log in again' });
  });
});

describe('uni connect: channels requested in subs', () => {
  const ns = (o: Partial<typeof DEFAULT_CHANNEL_OPTIONS>) => ({ ...DEFAULT_CHANNEL_OPTIONS, ...o });
  const channels: ChannelSettings = {
    withoutNamespace: ns({}),
    namespaces: {
      open: ns({ allowSubscribeForClient: true }),
      anon: ns({ allowSubscribeForClient: true, allowSubscribeForAnonymous: true }),
      users: ns({ allowUserLimitedChannels: true }),
      proxied: ns({ allowSubscribeForClient: true, subscribeProxy: 'channel.proxy.subscribe' }),
      strict: ns({ allowSubscribeForClient: true, channelRegex: '^[a-z]+$' }),
    },
    privatePrefix: '$', namespaceBoundary: ':', userBoundary: '#', userSeparator: ',', maxLength: 255,
  };
  const rt = (connectProxy = '') => ({ channels, init: { proxies: { connect: connectProxy } } }) as unknown as NodeRuntime;
  const session = (unidirectional = true) => {
    const closes: CloseCode[] = [];
    return { s: { unidirectional, close: (c: CloseCode) => closes.push(c) } as unknown as Session, closes };
  };
  const subsOf = (names: string[]) => Object.fromEntries(names.map((n) => [n, {}]));

  it('adds the channels a client could subscribe to itself, and skips the others', () => {
    const { s } = session();
    const subs = new Map<string, object>([['feed:token', {}]]);
    const asked = ['open:a', 'anon:b', 'users:#ann', 'users:#bob', 'proxied:c', '$open:d', 'strict:ok', 'strict:NO', 'plain'];
    assert.equal(addRequestedSubs(rt(), s, { token: 't', subs: subsOf(asked) }, 'ann', subs), true);
    assert.deepEqual([...subs.keys()], ['feed:token', 'open:a', 'anon:b', 'users:#ann', 'strict:ok']);
  });

  it('gives an anonymous client only the namespaces open to anonymous users', () => {
    const { s } = session();
    const subs = new Map<string, object>();
    addRequestedSubs(rt(), s, { subs: subsOf(['open:a', 'anon:b', 'users:#']) }, '', subs);
    assert.deepEqual([...subs.keys()], ['anon:b']);
  });

  it('leaves connect-proxy connections and bidirectional clients alone', () => {
    const subs = new Map<string, object>();
    addRequestedSubs(rt('client.proxy.connect'), session().s, { subs: subsOf(['open:a']) }, 'ann', subs);
    addRequestedSubs(rt(), session(false).s, { token: 't', subs: subsOf(['open:a']) }, 'ann', subs);
    assert.equal(subs.size, 0);
  });

  it('closes 3501 for a channel of an unknown namespace', () => {
    const { s, closes } = session();
    assert.equal(addRequestedSubs(rt(), s, { token: 't', subs: subsOf(['nowhere:a']) }, 'ann', new Map()), false);
    assert.deepEqual(closes, [Disconnects.badRequest]);
  });
});
