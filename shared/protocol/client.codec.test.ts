import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCommand, decodeFrame, encodeError, encodePublication, encodePush, encodeReply, PING_FRAME } from './client.codec.js';
import type { Command } from './client-protocol.js';
import { Errors } from './codes.js';

/** Decodes a frame that must be valid. */
function commands(frame: string): Command[] {
  const result = decodeFrame(frame);
  assert.ok(result.ok, `expected ${JSON.stringify(frame)} to decode`);
  return result.value;
}

/** Decodes a frame that must be refused, answering the close code. */
function refusal(frame: string): { code: number; reason: string } {
  const result = decodeFrame(frame);
  assert.ok(!result.ok, `expected ${JSON.stringify(frame)} to be refused`);
  return result.error;
}

const BAD_REQUEST = { code: 3501, reason: 'bad request' };

describe('client codec: decoding frames', () => {
  it('reads every command of a frame joined by "\\n", in order', () => {
    const frame = '{"connect":{"name":"js"},"id":1}\n{"subscribe":{"channel":"chat:a"},"id":2}\n{"subscribe":{"channel":"chat:b"},"id":3}';
    assert.deepEqual(commands(frame), [
      { id: 1, method: 'connect', params: { name: 'js' } },
      { id: 2, method: 'subscribe', params: { channel: 'chat:a' } },
      { id: 3, method: 'subscribe', params: { channel: 'chat:b' } },
    ]);
  });

  it('skips blank lines anywhere in a frame, and an empty frame holds no commands', () => {
    const frame = '\n{"presence":{"channel":"a"},"id":4}\n\n   \n{"history":{"channel":"b"},"id":5}\n';
    assert.deepEqual(commands(frame).map((c) => [c.id, c.method]), [[4, 'presence'], [5, 'history']]);
    assert.deepEqual(commands(''), []);
    assert.deepEqual(commands('\n\n'), []);
  });

  it('closes 3501 on malformed JSON, even when other lines of the frame are fine', () => {
    assert.deepEqual(refusal('{"connect":{},"id":1'), BAD_REQUEST);
    assert.deepEqual(refusal('{"connect":{},"id":1}\n{oops}'), BAD_REQUEST);
    assert.deepEqual(refusal('not json at all'), BAD_REQUEST);
  });

  it('closes 3501 when a line is JSON but not an object', () => {
    for (const line of ['[1,2]', '"connect"', '42', 'null', 'true']) {
      assert.deepEqual(refusal(line), BAD_REQUEST, line);
    }
  });
});

describe('client codec: command ids', () => {
  it('echoes the id exactly, including the largest uint32', () => {
    assert.equal(commands('{"rpc":{"method":"m"},"id":8}')[0]?.id, 8);
    assert.equal(commands('{"id":4294967295,"publish":{"channel":"c","data":1}}')[0]?.id, 4294967295);
  });

  it('closes 3501 for an id that is not a uint32', () => {
    for (const id of ['-1', '1.5', '"3"', '4294967296', '{}']) {
      assert.deepEqual(refusal(`{"id":${id},"publish":{"channel":"c","data":1}}`), BAD_REQUEST, `id ${id}`);
    }
  });

  it('takes a command with id 0 or no id and no send as a pong, whatever else it holds', () => {
    const pong = { id: 0, method: 'pong', params: {} };
    assert.deepEqual(commands('{}'), [pong]);
    assert.deepEqual(commands('{"id":0}'), [pong]);
    assert.deepEqual(commands('{"subscribe":{"channel":"chat"}}'), [pong]);
    assert.deepEqual(commands('{"id":0,"connect":{"token":"t"}}'), [pong]);
    assert.deepEqual(commands('{"whatever":{"x":1}}'), [pong]);
  });

  it('does not validate the fields of a command taken as a pong', () => {
    assert.deepEqual(commands('{"subscribe":{"channel":5}}'), [{ id: 0, method: 'pong', params: {} }]);
  });
});

describe('client codec: send', () => {
  it('decodes send without an id, carrying its data', () => {
    assert.deepEqual(commands('{"send":{"data":{"hello":["world"]}}}'), [
      { id: 0, method: 'send', params: { data: { hello: ['world'] } } },
    ]);
  });

  it('never gives a send an id to reply to, even when the client sent one', () => {
    assert.deepEqual(commands('{"id":9,"send":{"data":"x"}}'), [{ id: 0, method: 'send', params: { data: 'x' } }]);
  });

  it('reads a send without data, or with a non-object body, as data-less', () => {
    assert.deepEqual(commands('{"send":{}}'), [{ id: 0, method: 'send', params: { data: undefined } }]);
    assert.deepEqual(commands('{"send":"raw"}'), [{ id: 0, method: 'send', params: { data: undefined } }]);
  });
});

describe('client codec: method dispatch', () => {
  it('handles the first method in the Go order, whatever the key order in the object', () => {
    const [cmd] = commands('{"id":3,"publish":{"channel":"p","data":1},"subscribe":{"channel":"s"}}');
    assert.deepEqual(cmd, { id: 3, method: 'subscribe', params: { channel: 's' } });
    const [later] = commands('{"id":4,"sub_refresh":{"channel":"x"},"rpc":{"method":"m"},"history":{"channel":"h"}}');
    assert.deepEqual(later, { id: 4, method: 'history', params: { channel: 'h' } });
    const [connect] = commands('{"ping":{},"id":5,"connect":{}}');
    assert.equal(connect?.method, 'connect');
  });

  it('skips unknown keys next to a known method', () => {
    assert.deepEqual(commands('{"id":6,"extra":{"a":1},"presence_stats":{"channel":"room"}}'), [
      { id: 6, method: 'presence_stats', params: { channel: 'room' } },
    ]);
  });

  it('closes 3501 for a command with an id but no known method', () => {
    assert.deepEqual(refusal('{"id":7}'), BAD_REQUEST);
    assert.deepEqual(refusal('{"id":7,"teleport":{"channel":"x"}}'), BAD_REQUEST);
  });

  it('keeps the request fields as sent', () => {
    const [cmd] = commands('{"id":2,"subscribe":{"channel":"chat","recover":true,"offset":12,"epoch":"abcd","join_leave":true}}');
    assert.deepEqual(cmd, {
      id: 2,
      method: 'subscribe',
      params: { channel: 'chat', recover: true, offset: 12, epoch: 'abcd', join_leave: true },
    });
  });
});

describe('client codec: field types', () => {
  const refused = [
    ['a method body that is not an object', '{"id":1,"subscribe":"chat"}'],
    ['a method body that is an array', '{"id":1,"publish":[]}'],
    ['a numeric channel', '{"id":1,"subscribe":{"channel":5}}'],
    ['a missing channel', '{"id":1,"unsubscribe":{}}'],
    ['a negative offset', '{"id":1,"subscribe":{"channel":"c","offset":-1}}'],
    ['a string offset', '{"id":1,"subscribe":{"channel":"c","offset":"3"}}'],
    ['a fractional offset', '{"id":1,"subscribe":{"channel":"c","offset":1.5}}'],
    ['a string recover flag', '{"id":1,"subscribe":{"channel":"c","recover":"yes"}}'],
    ['a numeric epoch', '{"id":1,"subscribe":{"channel":"c","epoch":7}}'],
    ['a numeric token', '{"id":1,"connect":{"token":123}}'],
    ['connect subs as an array', '{"id":1,"connect":{"subs":[]}}'],
    ['a string history limit', '{"id":1,"history":{"channel":"c","limit":"10"}}'],
    ['history since as a number', '{"id":1,"history":{"channel":"c","since":5}}'],
    ['a string offset in history since', '{"id":1,"history":{"channel":"c","since":{"offset":"5"}}}'],
    ['a numeric rpc method', '{"id":1,"rpc":{"method":1}}'],
    ['a numeric refresh token', '{"id":1,"refresh":{"token":false}}'],
    ['a sub_refresh without channel', '{"id":1,"sub_refresh":{"token":"t"}}'],
  ] as const;
  for (const [what, frame] of refused) {
    it(`closes 3501 for ${what}`, () => {
      assert.deepEqual(refusal(frame), BAD_REQUEST);
    });
  }

  it('accepts optional fields that are simply left out', () => {
    assert.equal(commands('{"id":1,"connect":{}}')[0]?.method, 'connect');
    assert.equal(commands('{"id":2,"rpc":{}}')[0]?.method, 'rpc');
    assert.equal(commands('{"id":3,"history":{"channel":"c","since":{"offset":4,"epoch":"e"},"limit":-1}}')[0]?.method, 'history');
  });

  it('answers the same verdicts through decodeCommand for an already parsed object', () => {
    assert.deepEqual(decodeCommand({ id: 1, unsubscribe: { channel: 'c' } }), {
      ok: true,
      value: { id: 1, method: 'unsubscribe', params: { channel: 'c' } },
    });
    assert.deepEqual(decodeCommand({ id: 1, unsubscribe: { channel: 1 } }), { ok: false, error: BAD_REQUEST });
  });
});

describe('client codec: encoding', () => {
  it('always writes the result key, even for an empty result', () => {
    assert.equal(encodeReply(3, 'publish', {}), '{"id":3,"publish":{}}');
    assert.equal(encodeReply(12, 'unsubscribe', {}), '{"id":12,"unsubscribe":{}}');
    assert.equal(encodeReply(4, 'subscribe', {}), '{"id":4,"subscribe":{}}');
  });

  it('writes a result with its fields under the method key', () => {
    assert.equal(
      encodeReply(1, 'connect', { client: 'c-1', version: '0.1.0', ping: 25, pong: true }),
      '{"id":1,"connect":{"client":"c-1","version":"0.1.0","ping":25,"pong":true}}',
    );
  });

  it('marks an error temporary only when it is', () => {
    assert.equal(encodeError(5, Errors.internal), '{"id":5,"error":{"code":100,"message":"internal server error","temporary":true}}');
    assert.equal(encodeError(6, Errors.permissionDenied), '{"id":6,"error":{"code":103,"message":"permission denied"}}');
    assert.equal(encodeError(7, { code: 107, message: 'bad request', temporary: false }), '{"id":7,"error":{"code":107,"message":"bad request"}}');
  });

  it('writes a publication as a push with channel and pub, and no id', () => {
    const frame = encodePublication('chat:room1', { data: { text: 'hi' }, offset: 8, info: { user: '42', client: 'c-9' } });
    assert.equal(frame, '{"push":{"channel":"chat:room1","pub":{"data":{"text":"hi"},"offset":8,"info":{"user":"42","client":"c-9"}}}}');
    assert.deepEqual(JSON.parse(frame), {
      push: { channel: 'chat:room1', pub: { data: { text: 'hi' }, offset: 8, info: { user: '42', client: 'c-9' } } },
    });
  });

  it('encodes other pushes under "push" without an id', () => {
    assert.equal(
      encodePush({ channel: 'c', unsubscribe: { code: 2500, reason: 'insufficient state' } }),
      '{"push":{"channel":"c","unsubscribe":{"code":2500,"reason":"insufficient state"}}}',
    );
    assert.equal(PING_FRAME, '{}');
  });

  it('never puts a raw newline into a frame, even when data strings hold "\\n"', () => {
    const data = { text: 'line one\nline two\r\n', list: ['\n', 'a\nb'] };
    const frames = [
      encodePublication('chat', { data, offset: 1 }),
      encodePublication('chat', { data: 'just\na string' }),
      encodeReply(2, 'rpc', { data }),
      encodeReply(3, 'history', { publications: [{ data, offset: 1 }], epoch: 'e', offset: 1 }),
      encodePush({ message: { data } }),
      encodeError(4, { code: 4000, message: 'two\nlines' }),
    ];
    for (const frame of frames) {
      assert.ok(!frame.includes('\n'), frame);
    }
    assert.deepEqual(JSON.parse(frames[0]!), { push: { channel: 'chat', pub: { data, offset: 1 } } });
  });

  it('produces frames that, joined by "\\n", split back into the same objects', () => {
    const replies = [encodeReply(1, 'publish', {}), encodePublication('c', { data: 'a\nb' }), PING_FRAME];
    const lines = replies.join('\n').split('\n');
    assert.equal(lines.length, 3);
    assert.deepEqual(lines.map((l) => JSON.parse(l)), [
      { id: 1, publish: {} },
      { push: { channel: 'c', pub: { data: 'a\nb' } } },
      {},
    ]);
  });
});

describe('client codec: bounds on what a client chooses', () => {
  const pings = (n: number): string => Array.from({ length: n }, (_, i) => JSON.stringify({ id: i + 1, ping: {} })).join('\n');

  it('accepts a frame of exactly maxCommands commands', () => {
    const result = decodeFrame(pings(5), 5);
    assert.ok(result.ok);
    assert.equal(result.value.length, 5);
  });

  it('refuses a frame of more than maxCommands commands with 3501 and a reason that names the cause', () => {
    const result = decodeFrame(pings(6), 5);
    assert.ok(!result.ok);
    assert.deepEqual(result.error, { code: 3501, reason: 'bad request: too many commands in one frame' });
  });

  it('does not count blank lines as commands', () => {
    assert.ok(decodeFrame(`${pings(2)}\n\n\n`, 2).ok);
  });

  it('truncates a connect name and version longer than 64 characters, keeping the connect', () => {
    const [cmd] = commands(JSON.stringify({ id: 1, connect: { name: 'n'.repeat(60_000), version: 'v'.repeat(70) } }));
    assert.ok(cmd?.method === 'connect');
    assert.equal(cmd.params.name, 'n'.repeat(64));
    assert.equal(cmd.params.version, 'v'.repeat(64));
  });

  it('leaves short names alone and never cuts a surrogate pair in half', () => {
    const [short] = commands(JSON.stringify({ id: 1, connect: { name: 'js', version: '5.8.0' } }));
    assert.deepEqual(short?.params, { name: 'js', version: '5.8.0' });
    const [emoji] = commands(JSON.stringify({ id: 1, connect: { name: `${'a'.repeat(63)}🙂🙂` } }));
    assert.ok(emoji?.method === 'connect');
    assert.equal(emoji.params.name, 'a'.repeat(63));
  });
});
