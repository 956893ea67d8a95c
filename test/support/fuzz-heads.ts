/**
 * Structure-aware HTTP request heads for fuzzing the gateway (issue 11 §2): each case starts from a
 * well-formed request — a WebSocket upgrade on the client endpoint, an HTTP API call, /healthz,
 * /metrics, a console path, an upgrade to another path — and mutates its method, target, version,
 * header lines (case, duplicates, missing, obs-fold, bare LF, NUL, UTF-8, space before the colon,
 * padding near and past the head limit) and the head's end. After the head may ride the first
 * WebSocket frame (a valid connect, or garbage), a pipelined second request, or the API body; the
 * bytes are written in chunks cut at random points with small delays, then read, half-closed or
 * dropped. Heads are byte strings (latin1: one char per byte; UTF-8 is put in already encoded).
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';

export type RequestKind = 'upgrade' | 'api' | 'health' | 'metrics' | 'console' | 'other-upgrade';

interface HeaderLine {
  /** The whole line, e.g. `Upgrade: websocket` (may hold `{port}`, filled in when built). */
  line: string;
  /** What ends it: CRLF, or a bare LF. */
  end: '\r\n' | '\n';
}

export interface RequestSpec {
  kind: RequestKind;
  method: string;
  target: string;
  version: string;
  headers: HeaderLine[];
  /** The request body (the API's JSON), sent right after the head. */
  body: string;
}

/** What follows the first head in the same stream. */
export type Tail = 'none' | 'connect-frame' | 'garbage-frame' | 'pipelined';

/** What the client does once its bytes are written (or part of them). */
export type Ending = 'read' | 'half-close' | 'abort';

export interface GatewayCase {
  request: RequestSpec;
  /** Whether any mutation touched the request (an untouched upgrade with a connect frame must be answered). */
  mutated: string[];
  /** The head's last line end: the blank line (`\r\n`), or a damaged one. */
  headEnd: string;
  /** Pads the head with an `X-Pad` header to about this many bytes (null: no padding). */
  padTo: number | null;
  tail: Tail;
  garbage: Uint8Array;
  pipelined: RequestSpec;
  /** Cut points of the bytes into writes, as fractions; a delay in ms before each write after the first. */
  cuts: number[];
  /** Also cut right after the head (and body): what follows comes in a later write. */
  splitAtHeadEnd: boolean;
  delaysMs: number[];
  ending: Ending;
  /** For `abort`: the writes made before the socket is destroyed, as a fraction of them. */
  abortAfter: number;
}

export const WS_PATH = '/connection/websocket';

/** One Sec-WebSocket-Key for every case (the server never checks it is new): a seed's bytes are always the same. */
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

const line = (l: string): HeaderLine => ({ line: l, end: '\r\n' });

/** A well-formed request of each kind. */
function base(kind: RequestKind, variant: number): RequestSpec {
  const host = line('Host: 127.0.0.1:{port}');
  switch (kind) {
    case 'upgrade': {
      const headers = [host, line('Upgrade: websocket'), line('Connection: Upgrade'), line(`Sec-WebSocket-Key: ${KEY}`), line('Sec-WebSocket-Version: 13')];
      if (variant % 3 === 1) headers.push(line('Origin: http://localhost:5173'));
      if (variant % 4 === 1) headers.push(line('Sec-WebSocket-Protocol: centrifuge-json'));
      if (variant % 4 === 2) headers.push(line('Sec-WebSocket-Protocol: '));
      return { kind, method: 'GET', target: variant % 5 === 1 ? `${WS_PATH}?user=u${variant}` : WS_PATH, version: 'HTTP/1.1', headers, body: '' };
    }
    case 'api': {
      const body = variant % 2 === 0 ? '{}' : '{"channel":"chat:gw"}';
      return { kind, method: 'POST', target: variant % 2 === 0 ? '/api/info' : '/api/history', version: 'HTTP/1.1', body,
        headers: [host, line('Content-Type: application/json'), line('X-API-Key: {apikey}'), line(`Content-Length: ${body.length}`)] };
    }
    case 'health':
      return { kind, method: variant % 3 === 0 ? 'HEAD' : 'GET', target: '/healthz', version: 'HTTP/1.1', headers: [host], body: '' };
    case 'metrics':
      return { kind, method: 'GET', target: '/metrics', version: 'HTTP/1.1', headers: [host, line('Accept: text/plain')], body: '' };
    case 'console':
      return { kind, method: 'GET', target: ['/', '/index.html', '/assets/index.js', '/admin', '/favicon.ico'][variant % 5]!, version: 'HTTP/1.1',
        headers: [host, line('Accept: text/html'), line('Connection: keep-alive')], body: '' };
    case 'other-upgrade':
      return { kind, method: 'GET', target: ['/admin', `${WS_PATH}/`, '/connection/websocke', '/'][variant % 4]!, version: 'HTTP/1.1',
        headers: [host, line('Upgrade: websocket'), line('Connection: Upgrade'), line(`Sec-WebSocket-Key: ${KEY}`), line('Sec-WebSocket-Version: 13')], body: '' };
  }
}

/** UTF-8 text as the byte string it is sent as. */
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const long = (min: number, max: number, ch = 'a'): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => ch.repeat(n));

const hostileToken = fc.oneof(
  fc.constantFrom('', ' ', '\t', '\u0000', 'websocket\u0000', utf8('wébsocket'), utf8('🙂'), ' websocket ', 'WebSocket', 'websocket, h2c', 'h2c', '\u00ff', 'keep-alive, Upgrade', 'close', '\r'),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map(utf8),
  long(200, 3000),
);

const methods = fc.constantFrom('POST', 'HEAD', 'PUT', 'OPTIONS', 'DELETE', 'CONNECT', 'PRI', 'get', 'Get', '', 'G\u0000T', 'GET\t', utf8('GÉT'), 'X'.repeat(300));

const targets = fc.oneof(
  fc.constantFrom(`${WS_PATH}?x=1`, `${WS_PATH}?cf_protocol=protobuf`, `${WS_PATH}?format=json`, `${WS_PATH}/`, `${WS_PATH}%2F`,
    '/%63onnection/websocket', '/connection//websocket', '//connection/websocket', `${WS_PATH}#frag`, `http://127.0.0.1${WS_PATH}`,
    `http://evil.example${WS_PATH}`, '*', '', '/../connection/websocket', '/./connection/websocket', '/a b', '/%00', '/%', '/%zz',
    utf8('/é'), '/\u00e9', `${WS_PATH}?user=%00`, `${WS_PATH}?user=${utf8('ü')}`, '/api/info?x=1', '/api/../healthz', '/healthz?', '/HEALTHZ',
    '/metrics?name[]=x', 'connection/websocket', '/connection/websocket\u0000'),
  long(100, 20_000).map((s) => `${WS_PATH}?q=${s}`),
  long(100, 20_000).map((s) => `/${s}`),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => `/${encodeURIComponent(s)}`),
);

const versions = fc.constantFrom('HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', '', 'HTTP/1.1 x', 'HTTP/11', 'HTTP/1.1\u0000', 'HTTP/');

const headerNames = fc.constantFrom('Host', 'Upgrade', 'Connection', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Origin', 'Sec-WebSocket-Protocol',
  'Content-Length', 'Transfer-Encoding', 'X-Forwarded-For', utf8('Ünicode'), 'Bad Name', 'Na\u0000me', '', ':authority', 'X-Very-Long-'.padEnd(2000, 'n'));

const hostValues = fc.constantFrom('evil.example', 'evil.example:80', 'localhost', 'LOCALHOST.', '[::1]:1', '127.0.0.1', '10.0.0.1', '', ' ', '[', '[]',
  '::1', 'localhost:abc', utf8('lócalhost'), 'a'.repeat(300), '127.0.0.1\u0000.evil.example');

/** One mutation of a request: a label (tallied, and for the oracle) and how it changes the spec. */
type Mutation = [label: string, apply: (r: RequestSpec) => void];

const at = (r: RequestSpec, i: number): number => (r.headers.length === 0 ? -1 : i % r.headers.length);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  methods.map((m): Mutation => ['method', (r) => void (r.method = m)]),
  targets.map((t): Mutation => ['target', (r) => void (r.target = t)]),
  versions.map((v): Mutation => ['version', (r) => void (r.version = v)]),
  fc.nat().map((i): Mutation => ['drop header', (r) => void (at(r, i) >= 0 && r.headers.splice(at(r, i), 1))]),
  fc.nat().map((i): Mutation => ['duplicate header', (r) => void (at(r, i) >= 0 && r.headers.splice(at(r, i), 0, { ...r.headers[at(r, i)]! }))]),
  fc.tuple(fc.nat(), fc.constantFrom('upper', 'lower', 'mixed')).map(([i, how]): Mutation => ['name case', (r) => {
    const h = r.headers[at(r, i)];
    if (!h) return;
    const [name, ...rest] = h.line.split(':');
    const cased = how === 'upper' ? name!.toUpperCase() : how === 'lower' ? name!.toLowerCase() : [...name!].map((c, k) => (k % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
    h.line = [cased, ...rest].join(':');
  }]),
  fc.tuple(fc.nat(), hostileToken).map(([i, v]): Mutation => ['header value', (r) => {
    const h = r.headers[at(r, i)];
    if (h) h.line = `${h.line.split(':')[0]}: ${v}`;
  }]),
  fc.tuple(headerNames, hostileToken).map(([n, v]): Mutation => ['extra header', (r) => void r.headers.push(line(`${n}: ${v}`))]),
  hostValues.map((v): Mutation => ['host', (r) => {
    const h = r.headers.find((x) => /^host:/i.test(x.line));
    if (h) h.line = `Host: ${v}`;
    else r.headers.push(line(`Host: ${v}`));
  }]),
  fc.tuple(fc.nat(), fc.constantFrom(' ', '\t', '  x')).map(([i, ws]): Mutation => ['obs-fold', (r) => {
    const h = r.headers[at(r, i)];
    if (h) h.line = `${h.line}\r\n${ws}folded`;
  }]),
  fc.nat().map((i): Mutation => ['bare LF', (r) => {
    const h = r.headers[at(r, i)];
    if (h) h.end = '\n';
  }]),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Mutation => ['NUL', (r) => {
    const h = r.headers[at(r, i)];
    if (h) h.line = h.line.slice(0, j % (h.line.length + 1)) + '\u0000' + h.line.slice(j % (h.line.length + 1));
  }]),
  fc.nat().map((i): Mutation => ['space before colon', (r) => {
    const h = r.headers[at(r, i)];
    if (h) h.line = h.line.replace(':', ' :');
  }]),
  fc.nat().map((i): Mutation => ['UTF-8 value', (r) => {
    const h = r.headers[at(r, i)];
    if (h) h.line = `${h.line}${utf8(' ünï 🙂 \u202e')}`;
  }]),
);

const KINDS: RequestKind[] = ['upgrade', 'api', 'health', 'metrics', 'console', 'other-upgrade'];

/** A request of a kind, mutated 0–3 times (untouched in about a third of the cases). */
export const request: fc.Arbitrary<{ request: RequestSpec; mutated: string[] }> = fc.tuple(
  fc.oneof({ weight: 6, arbitrary: fc.constant<RequestKind>('upgrade') }, { weight: 3, arbitrary: fc.constantFrom(...KINDS) }),
  fc.nat(59),
  fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation[]>([]) }, { weight: 6, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
).map(([kind, variant, mutations]) => {
  const r = base(kind, variant);
  for (const [, apply] of mutations) apply(r);
  return { request: r, mutated: mutations.map(([label]) => label) };
});

/** A case. `limit` is the gateway's head limit: padding lands within 64 bytes of it either side, or well past it. */
export function gatewayCase(limit: number): fc.Arbitrary<GatewayCase> {
  return fc.record({
    req: request,
    headEnd: fc.oneof({ weight: 40, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '', '\r\n\r\n', '\r') }),
    padTo: fc.oneof({ weight: 12, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.integer({ min: limit - 64, max: limit + 64 }) },
      { weight: 1, arbitrary: fc.integer({ min: 2 * limit, max: 6 * limit }) }),
    tail: fc.oneof({ weight: 5, arbitrary: fc.constant<Tail>('connect-frame') }, { weight: 2, arbitrary: fc.constant<Tail>('none') },
      { weight: 1, arbitrary: fc.constant<Tail>('garbage-frame') }, { weight: 2, arbitrary: fc.constant<Tail>('pipelined') }),
    garbage: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    // A second request in the same stream, its Host sometimes one the server does not answer for.
    pipelined: fc.tuple(fc.constantFrom<RequestKind>('upgrade', 'health', 'api'), fc.nat(59), fc.boolean()).map(([k, v, foreign]) => {
      const r = base(k, v);
      if (foreign) r.headers[0] = line('Host: evil.example');
      return r;
    }),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
    splitAtHeadEnd: fc.boolean(),
    // Mostly 0–3 ms: a write that lands while the socket waits for its hand-off (a few ms at most).
    delaysMs: fc.array(fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }),
      { minLength: 6, maxLength: 6 }),
    ending: fc.oneof({ weight: 10, arbitrary: fc.constant<Ending>('read') }, { weight: 1, arbitrary: fc.constantFrom<Ending>('half-close', 'abort') }),
    abortAfter: fc.double({ min: 0, max: 1, noNaN: true }),
  }).map(({ req, ...rest }) => ({ ...rest, request: req.request, mutated: req.mutated }));
}

/** What a built case sends, and where its parts are in the bytes. */
export interface BuiltCase {
  bytes: Buffer;
  /** Bytes of the tail frame or pipelined request, after the head (and body). */
  tail: Buffer;
  /** The writes: consecutive slices of `bytes`. */
  chunks: Buffer[];
  /** HTTP methods of the requests sent, in order (a response to HEAD has no body). */
  methods: string[];
}

export interface BuildContext {
  port: number;
  apiKey: string;
  /** The connect frame's token. */
  token: string;
}

/** The connect frame's mask in fuzz cases (fixed, so that a seed replays the same bytes). */
const FUZZ_MASK = Buffer.from([0x5a, 0x17, 0xc3, 0x88]);

/** The id of the connect command that rides with the head. */
export const CONNECT_ID = 1;

/** The bytes of a request head and body (the head ends with `headEnd`, normally the blank line's CRLF). */
export function requestText(r: RequestSpec, ctx: BuildContext, headEnd = '\r\n', padTo: number | null = null): string {
  const fill = (s: string): string => s.replaceAll('{port}', String(ctx.port)).replaceAll('{apikey}', ctx.apiKey);
  const lines = r.headers.map((h) => `${fill(h.line)}${h.end}`).join('');
  const requestLine = r.version === '' ? `${r.method} ${r.target}\r\n` : `${r.method} ${r.target} ${r.version}\r\n`;
  let head = `${requestLine}${lines}`;
  if (padTo !== null) {
    const pad = Math.max(0, padTo - head.length - '\r\n'.length - 'X-Pad: \r\n'.length);
    head += `X-Pad: ${'p'.repeat(pad)}\r\n`;
  }
  return `${head}${headEnd}${r.body}`;
}

/** A masked client text frame (RFC 6455 §5.2), as a client sends it (a random mask unless one is given). */
export function clientFrame(payload: Buffer, opcode = 0x1, mask: Buffer = randomBytes(4)): Buffer {
  const len = payload.length;
  const header = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len])
    : len < 65_536 ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff])
      : (() => {
        const h = Buffer.alloc(10);
        h[0] = 0x80 | opcode;
        h[1] = 0x80 | 127;
        h.writeBigUInt64BE(BigInt(len), 2);
        return h;
      })();
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}

export function buildCase(c: GatewayCase, ctx: BuildContext): BuiltCase {
  const first = requestText(c.request, ctx, c.headEnd, c.padTo);
  let tail: Buffer = Buffer.alloc(0);
  const methods = [c.request.method];
  if (c.tail === 'connect-frame') tail = clientFrame(Buffer.from(JSON.stringify({ id: CONNECT_ID, connect: { token: ctx.token, name: 'gateway-fuzz' } })), 0x1, FUZZ_MASK);
  if (c.tail === 'garbage-frame') tail = Buffer.from(c.garbage);
  if (c.tail === 'pipelined') {
    tail = Buffer.from(requestText(c.pipelined, ctx), 'latin1');
    methods.push(c.pipelined.method);
  }
  const bytes = Buffer.concat([Buffer.from(first, 'latin1'), tail]);
  const cuts = c.cuts.map((f) => Math.floor(f * bytes.length));
  if (c.splitAtHeadEnd) cuts.push(first.length);
  const points = [...new Set(cuts.filter((p) => p > 0 && p < bytes.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return { bytes, tail, chunks, methods };
}
