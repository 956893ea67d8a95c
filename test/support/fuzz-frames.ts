/**
 * Structure-aware client-protocol frames: commands built from the protocol's own shapes
 * (shared/protocol/client-protocol.ts, `COMMAND_METHODS`) with mutated ids, fields, types, sizes,
 * nesting and keys, joined into frames that may be blank-lined, truncated, oversized, not UTF-8,
 * binary, or sent in WebSocket fragments with pings between them.
 */
import fc from 'fast-check';
import { COMMAND_METHODS } from '../../shared/protocol/client-protocol.js';
import { hostileNumber, hostileString, hostileValue, mutated, withOwnKeys, PROTO_KEYS } from './fuzz-values.js';

/** The id of the command each case ends with; generated ids stay below it. */
export const SENTINEL_ID = 4_294_967_295;

/** Channel names: configured namespaces, unknown ones, private, user-limited, empty, hostile. */
const channel: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('chat:fuzz', 'feed:fuzz', 'fuzz', 'chat:fuzz#u', '$chat:fuzz', 'nope:fuzz', 'chat:', ':', '') },
  { weight: 1, arbitrary: hostileString.map((s) => `chat:${s}`) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS).map((k) => `${k}:x`) },
);

const id: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 2, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, -1, 1.5, 2 ** 32, '7', null, true, [], {}) },
  { weight: 1, arbitrary: hostileNumber.filter((n) => n !== SENTINEL_ID) },
);

const position = fc.record({ offset: fc.oneof(fc.nat(100), hostileNumber), epoch: fc.oneof(fc.constant('e'), hostileString) });

/** A well-formed request per method (the connect token is filled in per cluster). */
function baseParams(method: (typeof COMMAND_METHODS)[number], token: string): fc.Arbitrary<Record<string, unknown>> {
  switch (method) {
    case 'connect':
      return fc.record({ token: fc.constant(token), data: fc.jsonValue({ maxDepth: 2 }), name: fc.constant('js'), version: fc.constant('5.8.0'),
        subs: fc.dictionary(fc.oneof(channel.map(String), fc.constantFrom(...PROTO_KEYS)), position, { maxKeys: 3 }) }, { requiredKeys: ['token'] });
    case 'subscribe':
      return fc.record({ channel, recover: fc.boolean(), offset: fc.nat(100), epoch: fc.string({ maxLength: 4 }), positioned: fc.boolean(),
        recoverable: fc.boolean(), join_leave: fc.boolean(), data: fc.jsonValue({ maxDepth: 2 }), token: hostileString,
        flag: fc.integer(), delta: fc.constantFrom('fossil', ''), type: fc.constantFrom(0, 1), tf: fc.jsonValue({ maxDepth: 2 }) },
      { requiredKeys: ['channel'] });
    case 'publish':
      return fc.record({ channel, data: fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileValue) });
    case 'history':
      return fc.record({ channel, limit: fc.integer({ min: -1, max: 200 }), since: position, reverse: fc.boolean() }, { requiredKeys: ['channel'] });
    case 'rpc':
      return fc.record({ method: hostileString, data: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] });
    case 'send':
      return fc.record({ data: hostileValue }, { requiredKeys: [] });
    case 'refresh':
      return fc.record({ token: fc.oneof(fc.constant(token), hostileString) }, { requiredKeys: [] });
    case 'sub_refresh':
      return fc.record({ channel, token: hostileString }, { requiredKeys: ['channel'] });
    case 'ping':
      return fc.constant({});
    case 'unsubscribe':
    case 'presence':
    case 'presence_stats':
      return fc.record({ channel });
  }
}

/** One command object: `{id, <method>: params}` mutated at both levels, sometimes with two methods. */
export function command(token: string): fc.Arbitrary<Record<string, unknown>> {
  const wellFormed = fc.constantFrom(...COMMAND_METHODS).chain((method) =>
    fc.tuple(fc.integer({ min: 2, max: 1000 }), baseParams(method, token)).map(([i, p]) => ({ id: i, [method]: p }) as Record<string, unknown>));
  const one = fc.constantFrom(...COMMAND_METHODS).chain((method) =>
    baseParams(method, token).chain((params) => fc.tuple(id, mutated(params)).map(([i, p]) => ({ id: i, [method]: p }) as Record<string, unknown>)));
  return fc.oneof(
    { weight: 12, arbitrary: wellFormed },
    { weight: 3, arbitrary: one },
    { weight: 2, arbitrary: one.chain((c) => mutated(c)) },
    { weight: 1, arbitrary: fc.tuple(one, one).map(([a, b]) => ({ ...b, ...a })) },
    { weight: 1, arbitrary: fc.tuple(id, fc.string({ maxLength: 10 }), hostileValue).map(([i, k, v]) => withOwnKeys({ id: i }, [[k, v]])) },
  );
}

/** How a frame's text is damaged after joining its commands. */
type FrameShape = 'plain' | 'blank-lines' | 'crlf' | 'trailing-newline' | 'truncated' | 'garbage-line' | 'not-utf8' | 'binary' | 'oversized';

export interface FuzzFrame {
  /** The commands' JSON lines. */
  lines: string[];
  shape: FrameShape;
  /** Where `truncated` cuts, as a fraction of the text. */
  cut: number;
  /** Sent in this many WebSocket fragments (1 = one frame), with a ping between fragments when `pings`. */
  fragments: number;
  pings: boolean;
}

const frameShape = fc.oneof(
  { weight: 10, arbitrary: fc.constant<FrameShape>('plain') },
  { weight: 1, arbitrary: fc.constantFrom<FrameShape>('blank-lines', 'crlf', 'trailing-newline', 'truncated', 'garbage-line', 'not-utf8', 'binary', 'oversized') },
);

/** A frame of 1–8 commands, or one command repeated up to 1,100 times (past the per-frame limit). */
export function frame(token: string): fc.Arbitrary<FuzzFrame> {
  // Small commands, so that a frame past the 1,000-command limit stays under the 64 KiB size limit.
  const small = fc.tuple(fc.integer({ min: 2, max: 1000 }), fc.constantFrom('presence_stats', 'history', 'ping'))
    .map(([i, m]) => ({ id: i, [m]: m === 'ping' ? {} : { channel: 'chat:fuzz' } }));
  const many = fc.tuple(small, fc.integer({ min: 2, max: 1100 })).map(([c, n]) => Array<Record<string, unknown>>(n).fill(c));
  return fc.record({
    commands: fc.oneof({ weight: 30, arbitrary: fc.array(command(token), { minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: many }),
    shape: frameShape,
    cut: fc.double({ min: 0, max: 1, noNaN: true }),
    fragments: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 5 }) }),
    pings: fc.boolean(),
  }).map(({ commands, ...rest }) => ({ lines: commands.map((c) => JSON.stringify(c)), ...rest }));
}

/** One fuzz case on one connection: optionally a valid connect first, then 1–4 frames. */
export interface ConnectionCase {
  connectFirst: boolean;
  frames: FuzzFrame[];
}

export function connectionCase(token: string): fc.Arbitrary<ConnectionCase> {
  return fc.record({
    connectFirst: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    frames: fc.array(frame(token), { minLength: 1, maxLength: 4 }),
  });
}

/** Connections played at once (their frames interleave at the node); a run is this many cases. */
export const CONCURRENT_CONNECTIONS = 4;

/** One fast-check run: `CONCURRENT_CONNECTIONS` connection cases played at the same time. */
export function concurrentCases(token: string): fc.Arbitrary<ConnectionCase[]> {
  return fc.array(connectionCase(token), { minLength: CONCURRENT_CONNECTIONS, maxLength: CONCURRENT_CONNECTIONS });
}

/** The bytes of a frame as sent, and whether they go as a binary message. */
export function frameBytes(f: FuzzFrame): { data: Buffer; binary: boolean } {
  let text = f.lines.join('\n');
  switch (f.shape) {
    case 'blank-lines': text = f.lines.join('\n\n \n'); break;
    case 'crlf': text = f.lines.join('\r\n'); break;
    case 'trailing-newline': text += '\n'; break;
    case 'truncated': text = text.slice(0, Math.floor(text.length * f.cut)); break;
    case 'garbage-line': text += '\n{"id":3,"publish":{"channel":"chat:fuzz","data":}}'; break;
    case 'oversized': text += `\n${JSON.stringify({ id: 9, publish: { channel: 'chat:fuzz', data: 'x'.repeat(70_000) } })}`; break;
    case 'not-utf8': return { data: Buffer.concat([Buffer.from(text), Buffer.from([0xff, 0xfe, 0xc3])]), binary: false };
    case 'binary': return { data: Buffer.from(text), binary: true };
    case 'plain': break;
  }
  return { data: Buffer.from(text), binary: false };
}
