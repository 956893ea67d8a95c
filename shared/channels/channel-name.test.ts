import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseChannel, personalChannel } from './channel-name.js';
import type { ChannelName } from './channel-name.js';
import { DEFAULT_CHANNEL_OPTIONS } from './channel-options.js';
import type { ChannelOptions, ChannelSettings } from './channel-options.js';
import { Errors } from '../protocol/codes.js';

const WITHOUT_NAMESPACE: ChannelOptions = { ...DEFAULT_CHANNEL_OPTIONS, allowSubscribeForClient: true };
const CHAT: ChannelOptions = { ...DEFAULT_CHANNEL_OPTIONS, presence: true, joinLeave: true };
const DIALOG: ChannelOptions = { ...DEFAULT_CHANNEL_OPTIONS, allowUserLimitedChannels: true };

const SETTINGS: ChannelSettings = {
  withoutNamespace: WITHOUT_NAMESPACE,
  namespaces: { chat: CHAT, dialog: DIALOG, personal: DIALOG },
  privatePrefix: '$',
  namespaceBoundary: ':',
  userBoundary: '#',
  userSeparator: ',',
  maxLength: 255,
};

function parsed(channel: string, settings: ChannelSettings = SETTINGS): ChannelName {
  const result = parseChannel(channel, settings);
  assert.ok(result.ok, `expected ${JSON.stringify(channel)} to be a valid channel`);
  return result.value;
}

function refused(channel: string, settings: ChannelSettings = SETTINGS): { code: number; message: string } {
  const result = parseChannel(channel, settings);
  assert.ok(!result.ok, `expected ${JSON.stringify(channel)} to be refused`);
  return result.error;
}

describe('channel names: namespaces', () => {
  it('gives a channel without ":" the options for channels without a namespace', () => {
    const name = parsed('news');
    assert.deepEqual(
      { namespace: name.namespace, rest: name.rest, isPrivate: name.isPrivate, allowedUsers: name.allowedUsers },
      { namespace: '', rest: 'news', isPrivate: false, allowedUsers: null },
    );
    assert.equal(name.options, WITHOUT_NAMESPACE);
    assert.equal(name.channel, 'news');
  });

  it('takes the part before the first ":" as the namespace and the rest after it', () => {
    const name = parsed('chat:room:42');
    assert.equal(name.namespace, 'chat');
    assert.equal(name.rest, 'room:42');
    assert.equal(name.options, CHAT);
  });

  it('uses the no-namespace options for a channel starting with ":"', () => {
    const name = parsed(':lobby');
    assert.equal(name.namespace, '');
    assert.equal(name.options, WITHOUT_NAMESPACE);
    assert.equal(name.rest, 'lobby');
  });

  it('answers 102 for a namespace that is not configured', () => {
    assert.deepEqual(refused('sports:final'), Errors.unknownChannel);
    assert.deepEqual(refused('$sports:final'), Errors.unknownChannel);
    assert.equal(refused('Chat:room').code, 102);
  });
});

describe('channel names: private channels', () => {
  it('marks a "$" channel private and looks up its namespace after the prefix', () => {
    const name = parsed('$chat:secret');
    assert.equal(name.isPrivate, true);
    assert.equal(name.namespace, 'chat');
    assert.equal(name.rest, 'secret');
    assert.equal(name.options, CHAT);
  });

  it('marks a private channel without namespace private too', () => {
    const name = parsed('$vault');
    assert.equal(name.isPrivate, true);
    assert.equal(name.namespace, '');
    assert.equal(name.options, WITHOUT_NAMESPACE);
  });

  it('treats "$" inside a name as an ordinary character', () => {
    assert.equal(parsed('chat:$price').isPrivate, false);
  });

  it('has no private channels when the prefix is configured empty', () => {
    assert.equal(parsed('$vault', { ...SETTINGS, privatePrefix: '' }).isPrivate, false);
  });
});

describe('channel names: user-limited channels', () => {
  it('lists the users after "#", split on ","', () => {
    assert.deepEqual(parsed('dialog:#42,43').allowedUsers, ['42', '43']);
    assert.deepEqual(parsed('personal:user#42').allowedUsers, ['42']);
  });

  it('reads the user list after the last "#"', () => {
    assert.deepEqual(parsed('dialog:a#b#7,8').allowedUsers, ['7', '8']);
  });

  it('keeps the order of the list as written', () => {
    assert.deepEqual(parsed('dialog:#2,1').allowedUsers, ['2', '1']);
  });

  it('answers a null list for a channel without "#"', () => {
    assert.equal(parsed('dialog:room').allowedUsers, null);
  });

  it('builds the personal channel of a user, which parses back to that user alone', () => {
    const channel = personalChannel('personal', 'alice', SETTINGS);
    assert.equal(channel, 'personal:#alice');
    assert.deepEqual(parsed(channel).allowedUsers, ['alice']);
  });

  it('follows configured boundaries', () => {
    const custom: ChannelSettings = { ...SETTINGS, namespaceBoundary: '/', userBoundary: '@', userSeparator: ';' };
    assert.equal(personalChannel('personal', 'bob', custom), 'personal/@bob');
    const name = parsed('dialog/@1;2', custom);
    assert.equal(name.namespace, 'dialog');
    assert.deepEqual(name.allowedUsers, ['1', '2']);
  });
});

describe('channel names: bad names (107)', () => {
  it('refuses an empty name', () => {
    assert.deepEqual(refused(''), Errors.badRequest);
  });

  it('refuses a name longer than the maximum and accepts one exactly at it', () => {
    assert.deepEqual(refused('a'.repeat(256)), Errors.badRequest);
    assert.equal(parsed('a'.repeat(255)).channel.length, 255);
    assert.deepEqual(refused('chat:abcdef', { ...SETTINGS, maxLength: 10 }), Errors.badRequest);
  });

  it('refuses non-ASCII characters', () => {
    assert.deepEqual(refused('café'), Errors.badRequest);
    assert.deepEqual(refused('chat:日本'), Errors.badRequest);
    assert.deepEqual(refused('chat:room🙂'), Errors.badRequest);
  });

  it('checks the name before the namespace: a bad name in an unknown namespace is 107', () => {
    assert.equal(refused('nowhere:é').code, 107);
  });
});

describe('channel names: hostile input', () => {
  it('treats Object.prototype names as unknown namespaces (102), not as namespaces', () => {
    for (const name of ['constructor:x', '__proto__:x', 'toString:x', 'hasOwnProperty:x', '$constructor:x']) {
      assert.deepEqual(refused(name), Errors.unknownChannel, name);
    }
  });

  it('still finds namespaces in a map without a prototype', () => {
    const namespaces = Object.assign(Object.create(null) as Record<string, ChannelOptions>, { chat: CHAT });
    assert.equal(parsed('chat:x', { ...SETTINGS, namespaces }).options, CHAT);
    assert.deepEqual(refused('constructor:x', { ...SETTINGS, namespaces }), Errors.unknownChannel);
  });

  it('refuses NUL, newline, tab, DEL and other control characters with 107 and says why', () => {
    for (const name of ['chat:a\u0000b', 'chat:a\nb', 'chat:a\rb', 'chat:a\tb', 'chat:a\u007fb', 'news\u001b[31m']) {
      const error = refused(name);
      assert.equal(error.code, 107, JSON.stringify(name));
      assert.match(error.message, /control character/);
    }
  });
});
