import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppError, Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import type { ChannelOptions, ChannelSettings, ClientSettings } from '../../shared/channels/channel-options.js';
import { DEFAULT_CHANNEL_OPTIONS } from '../../shared/channels/channel-options.js';
import { uniTransportsOff } from '../../shared/protocol/uni-transports.js';
import type { SupervisorRequests } from '../../shared/ipc/node-ipc.js';
import type { SpannedNodeRequest } from '../../shared/engine/survey-ops.js';
import type { HistoryResult, Json } from '../../shared/protocol/client-protocol.js';
import type { HistoryQuery, StreamOptions } from '../broker/broker.js';
import type { NodeInfo, ServerApiBackend } from './server-api-backend.js';
import type { ServerApiAuth, ServerApiOptions } from './http-api.js';
import { createServerApi } from './http-api.js';

const KEY = 'test-key';
const EPOCH = 'qWeRtYuI';
const CHAT_STREAM: StreamOptions = { size: 10, ttlMs: 300_000, metaTtlMs: 3_600_000 };

const ns = (o: Partial<ChannelOptions>): ChannelOptions => ({ ...DEFAULT_CHANNEL_OPTIONS, ...o });
const channelSettings: ChannelSettings = {
  withoutNamespace: ns({}),
  namespaces: {
    chat: ns({ presence: true, historySize: 10, historyTtlMs: 300_000, historyMetaTtlMs: 3_600_000 }),
    plain: ns({}),
    obj: ns({ publicationDataFormat: 'json_object' }),
  },
  privatePrefix: '$', namespaceBoundary: ':', userBoundary: '#', userSeparator: ',', maxLength: 255,
};
const clientSettings: ClientSettings = {
  tokenHmacSecret: 's', tokenAudience: '', tokenIssuer: '', insecure: false, allowAnonymousConnectWithoutToken: false,
  insecureSkipTokenSignatureVerify: false, allowedOrigins: [], pingIntervalMs: 25_000, presenceUpdateIntervalMs: 25_000, pongTimeoutMs: 8_000,
  channelLimit: 128, userConnectionLimit: 0, maxMessageSize: 65_536, queueMaxSize: 1_048_576, staleCloseDelayMs: 10_000,
  expiredCloseDelayMs: 25_000, recoveryMaxPublicationLimit: 300, historyMaxPublicationLimit: 300, uni: uniTransportsOff(),
};
const NODES: NodeInfo[] = [
  { uid: 'n1', name: 'node-1', version: '0.1.0', num_clients: 2, num_users: 1, num_channels: 1, num_subs: 2, uptime: 0 },
  { uid: 'n2', name: 'node-2', version: '0.1.0', num_clients: 0, num_users: 0, num_channels: 0, num_subs: 0, uptime: 12 },
];

/** Every backend call, in order: the method name and its arguments. */
const calls: { op: string; args: unknown[] }[] = [];
const logLines: string[] = [];

const backend: ServerApiBackend = {
  channels: channelSettings,
  client: clientSettings,
  async publish(channel: string, data: Json, opts: { stream: StreamOptions | null; tags?: Record<string, string> }) {
    calls.push({ op: 'publish', args: [channel, data, opts] });
    if (channel === 'chat:boom') throw new Error('broker down');
    return opts.stream === null ? {} : { offset: 7, epoch: EPOCH };
  },
  async history(channel: string, query: HistoryQuery, stream: StreamOptions): Promise<Result<HistoryResult, AppError>> {
    calls.push({ op: 'history', args: [channel, query, stream] });
    if (query.since !== undefined && query.since.epoch !== '' && query.since.epoch !== EPOCH) {
      return err({ code: 112, message: 'unrecoverable position' });
    }
    return ok({ publications: [{ data: { n: 3 }, offset: 3 }], epoch: EPOCH, offset: 3 });
  },
  async removeHistory(channel: string) {
    calls.push({ op: 'removeHistory', args: [channel] });
  },
  async presence(channel: string) {
    calls.push({ op: 'presence', args: [channel] });
    return { c1: { user: 'u1', client: 'c1' } };
  },
  async presenceStats(channel: string) {
    calls.push({ op: 'presenceStats', args: [channel] });
    return { num_clients: 2, num_users: 1 };
  },
  async toAllNodes<K extends SpannedNodeRequest>(op: K, req: SupervisorRequests[K]['req']): Promise<Result<SupervisorRequests[K]['res'][], AppError>> {
    calls.push({ op, args: [req] });
    return ok([]);
  },
  async channelCounts() {
    calls.push({ op: 'channelCounts', args: [] });
    return ok(new Map([['chat:1', 2], ['news', 3], ['chat:2', 1], ['gone', 0]]));
  },
  info() {
    calls.push({ op: 'info', args: [] });
    return NODES;
  },
};

const servers: Server[] = [];

async function startApi(auth: ServerApiAuth = { apiKey: KEY, insecure: false }, options: ServerApiOptions = {}): Promise<string> {
  const handler = createServerApi(backend, auth, { log: (line) => logLines.push(line), ...options });
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

let base = '';

/** POST /api/<method> with the right key; body is JSON-encoded unless it is a string. */
async function call(method: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return send(`${base}/api/${method}`, { method: 'POST', headers: { 'X-API-Key': KEY, ...headers }, body: payload });
}

/** The `result` of a 200 answer (fails on an error). */
async function result(method: string, body: unknown): Promise<unknown> {
  const answer = await call(method, body);
  assert.equal(answer.status, 200);
  const parsed = JSON.parse(answer.text) as { result?: unknown; error?: unknown };
  assert.deepEqual(parsed.error, undefined);
  return parsed.result;
}

/** The `error` of a 200 answer. */
async function apiError(method: string, body: unknown): Promise<AppError> {
  const answer = await call(method, body);
  assert.equal(answer.status, 200);
  const parsed = JSON.parse(answer.text) as { error?: AppError };
  assert.ok(parsed.error, `expected an error, got ${answer.text}`);
  return parsed.error;
}

async function assertStillServing(): Promise<void> {
  assert.deepEqual(await result('presence_stats', { channel: 'chat:1' }), { num_clients: 2, num_users: 1 });
}

const opsCalled = () => calls.map((c) => c.op);

before(async () => {
  base = await startApi();
});

beforeEach(() => {
  calls.length = 0;
  logLines.length = 0;
});

after(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('server API transport', () => {
  it('answers 401 with an empty body, and calls nothing, when the key is missing', async () => {
    const answer = await send(`${base}/api/publish`, { method: 'POST', body: '{"channel":"chat:1","data":{}}' });
    assert.equal(answer.status, 401);
    assert.equal(answer.text, '');
    assert.deepEqual(calls, []);
    await assertStillServing();
  });

  it('answers 401 for a wrong key in each of the three places, and calls nothing', async () => {
    const body = '{"channel":"chat:1","data":{}}';
    for (const [path, headers] of [
      ['/api/publish', { 'X-API-Key': 'wrong' }],
      ['/api/publish', { Authorization: 'apikey wrong' }],
      ['/api/publish?api_key=wrong', {}],
      ['/api/publish', { Authorization: `Bearer ${KEY}` }],
    ] as const) {
      const answer = await send(`${base}${path}`, { method: 'POST', headers, body });
      assert.equal(answer.status, 401, `${path} ${JSON.stringify(headers)}`);
      assert.equal(answer.text, '');
    }
    assert.deepEqual(calls, []);
    await assertStillServing();
  });

  it('accepts the key from X-API-Key, from Authorization: apikey and from ?api_key', async () => {
    for (const [path, headers] of [
      ['/api/info', { 'X-API-Key': KEY }],
      ['/api/info', { Authorization: `ApiKey ${KEY}` }],
      [`/api/info?api_key=${KEY}`, {}],
    ] as const) {
      const answer = await send(`${base}${path}`, { method: 'POST', headers, body: '{}' });
      assert.equal(answer.status, 200, `${path} ${JSON.stringify(headers)}`);
    }
  });

  it('refuses everything when no key is configured, and lets everything in when insecure', async () => {
    const noKey = await startApi({ apiKey: '', insecure: false });
    assert.equal((await send(`${noKey}/api/info`, { method: 'POST', headers: { 'X-API-Key': '' }, body: '{}' })).status, 401);
    const open = await startApi({ apiKey: '', insecure: true });
    assert.equal((await send(`${open}/api/info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status, 200);
  });

  it('answers 405 with Allow: POST to a GET, and calls nothing', async () => {
    const answer = await send(`${base}/api/info`, { headers: { 'X-API-Key': KEY } });
    assert.equal(answer.status, 405);
    assert.equal(answer.headers.get('allow'), 'POST');
    assert.deepEqual(calls, []);
    await assertStillServing();
  });

  it('answers 404 in plain text for an unknown method or a path outside /api/', async () => {
    for (const path of ['/api/nope', '/api/publish/', '/api', '/other']) {
      const answer = await send(`${base}${path}`, { method: 'POST', headers: { 'X-API-Key': KEY }, body: '{}' });
      assert.equal(answer.status, 404, path);
      assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);
    }
    await assertStillServing();
  });

  it('answers 400 in plain text, saying what is wrong, for a malformed body, and calls nothing', async () => {
    const answer = await call('publish', '{"channel":"chat:1","data":');
    assert.equal(answer.status, 400);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(answer.text, /not valid JSON/);
    const notObject = await call('publish', '[1,2]');
    assert.equal(notObject.status, 400);
    assert.match(notObject.text, /must be a JSON object/);
    assert.deepEqual(calls, []);
    await assertStillServing();
  });

  it('answers 413 to a body over the limit, declared or streamed, and calls nothing', async () => {
    const small = await startApi(undefined, { maxBodyBytes: 64 });
    const big = JSON.stringify({ channel: 'chat:1', data: 'x'.repeat(200) });
    const declared = await send(`${small}/api/publish`, { method: 'POST', headers: { 'X-API-Key': KEY }, body: big });
    assert.equal(declared.status, 413);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(`${small}/api/publish`, { method: 'POST', headers: { 'X-API-Key': KEY } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(big.slice(0, 100));
      req.end(big.slice(100));
    });
    assert.equal(streamed, 413);
    assert.deepEqual(calls, []);
    assert.equal((await send(`${small}/api/info`, { method: 'POST', headers: { 'X-API-Key': KEY }, body: '{}' })).status, 200);
  });

  it('reads an empty body as {}', async () => {
    const answer = await call('info', '');
    assert.equal(answer.status, 200);
    assert.ok(JSON.parse(answer.text).result.nodes);
  });

  it('answers error 100 and logs one line when the backend throws', async () => {
    assert.deepEqual(await apiError('publish', { channel: 'chat:boom', data: {} }), { code: 100, message: 'internal server error' });
    assert.equal(logLines.length, 1);
    assert.match(logLines[0], /broker down/);
    await assertStillServing();
  });
});

describe('server API without a key (insecure)', () => {
  const publish = '{"channel":"chat:1","data":{"text":"hi"}}';
  let open = '';
  before(async () => {
    open = await startApi({ apiKey: '', insecure: true, allowedOrigins: ['http://localhost:*'] });
  });

  it('refuses a text/plain or form body, the kinds a page on another site can POST, with 415 and how to fix it', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await send(`${open}/api/publish`, { method: 'POST', headers: { 'Content-Type': type }, body: publish });
      assert.equal(answer.status, 415, type);
      assert.match(answer.text, /only application\/json.*Content-Type: application\/json/);
    }
    const none = await send(`${open}/api/publish`, { method: 'POST', body: new Uint8Array(Buffer.from(publish)) });
    assert.equal(none.status, 415);
    assert.deepEqual(calls, []);
  });

  it('refuses a request from a foreign Origin with 403, even with a JSON body', async () => {
    const answer = await send(`${open}/api/publish`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: publish,
    });
    assert.equal(answer.status, 403);
    assert.match(answer.text, /origin https:\/\/evil\.example may not use the API without a key/);
    assert.deepEqual(calls, []);
  });

  it('accepts JSON as curl and server-side clients send it: no Origin, with or without a charset, or from an allowed origin', async () => {
    for (const headers of [
      { 'Content-Type': 'application/json' } as Record<string, string>,
      { 'Content-Type': 'Application/JSON; charset=utf-8' },
      { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' },
    ]) {
      const answer = await send(`${open}/api/publish`, { method: 'POST', headers, body: publish });
      assert.equal(answer.status, 200, JSON.stringify(headers));
    }
    assert.deepEqual(opsCalled(), ['publish', 'publish', 'publish']);
  });

  it('takes any content type and Origin when a key is required, as a keyed request is never a simple cross-site one', async () => {
    const answer = await send(`${base}/api/publish`, {
      method: 'POST', headers: { 'X-API-Key': KEY, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }, body: publish,
    });
    assert.equal(answer.status, 200);
  });
});

describe('server API request reports', () => {
  it('tells onRequest the method and outcome of each request, once: ok, error, unauthorized, bad_request', async () => {
    const heard: [string, string][] = [];
    const url = await startApi(undefined, { onRequest: (method, outcome) => heard.push([method, outcome]) });
    const post = (path: string, body: string, key = KEY) => send(`${url}${path}`, { method: 'POST', headers: { 'X-API-Key': key }, body });
    assert.equal((await post('/api/info', '{}')).status, 200);
    assert.equal((await post('/api/publish', '{"channel":"","data":{}}')).status, 200);
    assert.equal((await post('/api/publish', '{}', 'wrong')).status, 401);
    assert.equal((await post('/api/publish', '{"channel":')).status, 400);
    assert.deepEqual(heard, [['info', 'ok'], ['publish', 'error'], ['publish', 'unauthorized'], ['publish', 'bad_request']]);
  });
});

describe('server API methods', () => {
  it('publishes with the namespace history settings and answers offset and epoch', async () => {
    const res = await result('publish', { channel: 'chat:1', data: { text: 'hi' }, tags: { k: 'v' } });
    assert.deepEqual(res, { offset: 7, epoch: EPOCH });
    assert.deepEqual(calls, [{ op: 'publish', args: ['chat:1', { text: 'hi' }, { stream: CHAT_STREAM, tags: { k: 'v' } }] }]);
  });

  it('publishes without a stream, answering {}, when the namespace has no history or skip_history is set', async () => {
    assert.deepEqual(await result('publish', { channel: 'plain:1', data: 1 }), {});
    assert.deepEqual(await result('publish', { channel: 'chat:1', data: 'x', skip_history: true }), {});
    assert.deepEqual(calls.map((c) => c.args[2]), [{ stream: null }, { stream: null }]);
  });

  it('refuses bad publications with 107 or 102 before calling the backend', async () => {
    const cases: [unknown, number, RegExp?][] = [
      [{ channel: '', data: {} }, 107, /channel is required/],
      [{ data: {} }, 107],
      [{ channel: 'nope:1', data: {} }, 102],
      [{ channel: 'chat:é', data: {} }, 107],
      [{ channel: 'chat:1' }, 107, /data is required/],
      [{ channel: 'chat:1', data: null }, 107, /data must not be empty/],
      [{ channel: 'chat:1', data: '' }, 107],
      [{ channel: 'obj:1', data: [1] }, 107, /JSON object/],
      [{ channel: 'chat:1', b64data: 'aGk=' }, 107, /b64data/],
      [{ channel: 'chat:1', data: {}, tags: { k: 1 } }, 107, /tags must be an object of strings/],
      [{ channel: 5, data: {} }, 107, /channel must be a string/],
    ];
    for (const [body, code, message] of cases) {
      const error = await apiError('publish', body);
      assert.equal(error.code, code, JSON.stringify(body));
      if (message) assert.match(error.message, message);
    }
    assert.deepEqual(calls, []);
  });

  it('broadcasts to each channel on its own and answers the entries in request order', async () => {
    const res = await result('broadcast', { channels: ['chat:1', 'nope:1', '', 'plain:x', 'chat:boom'], data: { n: 1 } });
    assert.deepEqual(res, {
      responses: [
        { result: { offset: 7, epoch: EPOCH } },
        { error: { code: 102, message: 'unknown channel' } },
        { error: { code: 107, message: 'bad request: channel is required' } },
        { result: {} },
        { error: { code: 100, message: 'internal server error' } },
      ],
    });
    assert.deepEqual(calls.map((c) => c.args[0]), ['chat:1', 'plain:x', 'chat:boom']);
  });

  it('refuses a broadcast without channels or data with 107', async () => {
    assert.equal((await apiError('broadcast', { channels: [], data: {} })).code, 107);
    assert.equal((await apiError('broadcast', { channels: ['chat:1'] })).code, 107);
    assert.match((await apiError('broadcast', { channels: 'chat:1', data: {} })).message, /channels must be an array of strings/);
    assert.deepEqual(calls, []);
  });

  it('subscribes a user on every node, passing recover_since as recoverSince', async () => {
    const body = { user: '42', channel: 'chat:1', client: 'c1', info: { a: 1 }, data: { b: 2 }, recover_since: { offset: 5, epoch: EPOCH } };
    assert.deepEqual(await result('subscribe', body), {});
    assert.deepEqual(calls, [{
      op: 'sessions.subscribe',
      args: [{ user: '42', client: 'c1', channel: 'chat:1', info: { a: 1 }, data: { b: 2 }, recoverSince: { offset: 5, epoch: EPOCH } }],
    }]);
  });

  it('refuses a subscribe to an unknown namespace with 102, and one without user with 107', async () => {
    assert.equal((await apiError('subscribe', { user: '42', channel: 'nope:1' })).code, 102);
    assert.match((await apiError('subscribe', { channel: 'chat:1' })).message, /user must be a string/);
    assert.match((await apiError('subscribe', { user: '42', channel: 'chat:1', session: 5 })).message, /session must be a string/);
    assert.deepEqual(calls, []);
  });

  it('passes session to the nodes in subscribe, unsubscribe, disconnect and refresh, as Centrifugo addresses one connection by it', async () => {
    assert.deepEqual(await result('subscribe', { user: '42', channel: 'chat:1', session: 's1' }), {});
    assert.deepEqual(await result('unsubscribe', { user: '42', channel: 'chat:1', session: 's1' }), {});
    assert.deepEqual(await result('disconnect', { user: '42', session: 's1' }), {});
    assert.deepEqual(await result('refresh', { user: '42', session: 's1', expired: true }), {});
    assert.deepEqual(calls.map((c) => [c.op, (c.args[0] as { session?: string }).session]), [
      ['sessions.subscribe', 's1'], ['sessions.unsubscribe', 's1'], ['sessions.disconnect', 's1'], ['sessions.refresh', 's1'],
    ]);
  });

  it('unsubscribes with push code 2000 and refuses an empty channel with 107', async () => {
    assert.deepEqual(await result('unsubscribe', { user: '', channel: 'chat:1' }), {});
    assert.deepEqual(calls, [{ op: 'sessions.unsubscribe', args: [{ user: '', channel: 'chat:1', code: 2000, reason: 'server unsubscribe' }] }]);
    assert.equal((await apiError('unsubscribe', { user: '42', channel: '' })).code, 107);
    assert.equal((await apiError('unsubscribe', { user: '42', channel: 'nope:1' })).code, 102);
    assert.equal(calls.length, 1);
  });

  it('disconnects with 3503 "force disconnect" by default, or with the given code and whitelist', async () => {
    assert.deepEqual(await result('disconnect', { user: '42' }), {});
    const custom = { user: '42', whitelist: ['c9'], disconnect: { code: 4000, reason: 'bye' } };
    assert.deepEqual(await result('disconnect', custom), {});
    assert.deepEqual(calls, [
      { op: 'sessions.disconnect', args: [{ user: '42', code: 3503, reason: 'force disconnect' }] },
      { op: 'sessions.disconnect', args: [{ user: '42', whitelist: ['c9'], code: 4000, reason: 'bye' }] },
    ]);
  });

  it('refuses a disconnect without user or with an unusable close code with 107', async () => {
    assert.match((await apiError('disconnect', {})).message, /user must be a string/);
    assert.match((await apiError('disconnect', { user: '1', disconnect: { code: 1000, reason: 'x' } })).message, /disconnect.code/);
    assert.match((await apiError('disconnect', { user: '1', whitelist: [1] })).message, /whitelist/);
    assert.deepEqual(calls, []);
  });

  it('refreshes a connection on every node', async () => {
    assert.deepEqual(await result('refresh', { user: '42', client: 'c1', expire_at: 1_900_000_000, info: { n: 'Ann' } }), {});
    assert.deepEqual(calls, [{ op: 'sessions.refresh', args: [{ user: '42', client: 'c1', expireAt: 1_900_000_000, info: { n: 'Ann' } }] }]);
    assert.match((await apiError('refresh', { user: '42', expired: 'yes' })).message, /expired must be a boolean/);
  });

  it('answers presence and presence_stats, and 108 where presence is off', async () => {
    assert.deepEqual(await result('presence', { channel: 'chat:1' }), { presence: { c1: { user: 'u1', client: 'c1' } } });
    assert.deepEqual(await result('presence_stats', { channel: 'chat:1' }), { num_clients: 2, num_users: 1 });
    calls.length = 0;
    assert.equal((await apiError('presence', { channel: 'plain:1' })).code, 108);
    assert.equal((await apiError('presence_stats', { channel: 'plain:1' })).code, 108);
    assert.equal((await apiError('presence', { channel: '' })).code, 107);
    assert.equal((await apiError('presence_stats', { channel: 'nope:1' })).code, 102);
    assert.deepEqual(calls, []);
  });

  it('reads history with limit, since and reverse passed on as a HistoryQuery', async () => {
    const res = await result('history', { channel: 'chat:1', limit: 2, since: { offset: 1, epoch: EPOCH }, reverse: true });
    assert.deepEqual(res, { publications: [{ data: { n: 3 }, offset: 3 }], epoch: EPOCH, offset: 3 });
    await result('history', { channel: 'chat:1' });
    await result('history', { channel: 'chat:1', limit: -1 });
    assert.deepEqual(calls.map((c) => c.args), [
      ['chat:1', { limit: 2, reverse: true, since: { offset: 1, epoch: EPOCH } }, CHAT_STREAM],
      ['chat:1', { limit: 0, reverse: false }, CHAT_STREAM],
      ['chat:1', { limit: -1, reverse: false }, CHAT_STREAM],
    ]);
  });

  it('answers history errors: 107 for bad fields, 108 without history, 112 for another epoch', async () => {
    assert.equal((await apiError('history', { channel: 'chat:1', limit: 'x' })).message, 'bad request: limit must be an integer');
    assert.match((await apiError('history', { channel: 'chat:1', since: { offset: -1 } })).message, /since.offset/);
    assert.equal((await apiError('history', { channel: 'chat:1', since: { offset: 0 }, reverse: true })).code, 107);
    assert.equal((await apiError('history', { channel: 'plain:1' })).code, 108);
    assert.deepEqual(calls, []);
    assert.deepEqual(await apiError('history', { channel: 'chat:1', since: { offset: 1, epoch: 'other' } }), { code: 112, message: 'unrecoverable position' });
  });

  it('removes history where the namespace keeps it, and answers 108 elsewhere', async () => {
    assert.deepEqual(await result('history_remove', { channel: 'chat:1' }), {});
    assert.equal((await apiError('history_remove', { channel: 'plain:1' })).code, 108);
    assert.deepEqual(calls, [{ op: 'removeHistory', args: ['chat:1'] }]);
  });

  it('lists channels with subscribers, filtered by a glob pattern', async () => {
    assert.deepEqual(await result('channels', {}), { channels: { 'chat:1': { num_clients: 2 }, 'chat:2': { num_clients: 1 }, news: { num_clients: 3 } } });
    assert.deepEqual(await result('channels', { pattern: 'chat:*' }), { channels: { 'chat:1': { num_clients: 2 }, 'chat:2': { num_clients: 1 } } });
    assert.deepEqual(await result('channels', { pattern: '{news,chat:2}' }), { channels: { 'chat:2': { num_clients: 1 }, news: { num_clients: 3 } } });
    assert.match((await apiError('channels', { pattern: 'chat:[' })).message, /bad pattern/);
  });

  it('reports every node in info, without uptime when it is 0', async () => {
    const res = await result('info', {});
    const { uptime: _zero, ...first } = NODES[0];
    assert.deepEqual(res, { nodes: [first, NODES[1]] });
  });

  it('answers rpc with 104, as no RPC extension is registered', async () => {
    assert.deepEqual(await apiError('rpc', { method: 'sum', params: {} }), { code: 104, message: 'not found' });
    assert.equal((await apiError('rpc', {})).code, 107);
  });
});

describe('server API batch', () => {
  const commands = [
    { publish: { channel: 'chat:1', data: { n: 1 } } },
    { history: { channel: 'chat:1', limit: 1 } },
    { presence: { channel: 'plain:1' } },
    { nope: {} },
    { publish: 'x' },
    { publish: { channel: 'chat:boom', data: {} } },
    { info: {} },
  ];
  const replies = [
    { publish: { offset: 7, epoch: EPOCH } },
    { history: { publications: [{ data: { n: 3 }, offset: 3 }], epoch: EPOCH, offset: 3 } },
    { error: { code: 108, message: 'not available' } },
    { error: { code: 104, message: 'not found' } },
    { error: { code: 107, message: 'bad request: publish must be an object' } },
    { error: { code: 100, message: 'internal server error' } },
    { info: { nodes: [{ ...NODES[0], uptime: undefined }, NODES[1]].map((n) => JSON.parse(JSON.stringify(n))) } },
  ];

  it('runs commands one after another and answers top-level replies keyed by method, in order', async () => {
    const answer = await call('batch', { commands });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.text), { replies });
    assert.deepEqual(opsCalled(), ['publish', 'history', 'publish', 'info']);
  });

  it('runs commands at once with parallel: true and still answers in command order', async () => {
    const answer = await call('batch', { commands, parallel: true });
    assert.deepEqual(JSON.parse(answer.text), { replies });
  });

  it('refuses commands that are not an array with 107', async () => {
    assert.equal((await apiError('batch', { commands: {} })).code, 107);
    assert.deepEqual(JSON.parse((await call('batch', {})).text), { replies: [] });
  });
});

describe('server API transport error mode', () => {
  const transport = { 'X-Centrifugo-Error-Mode': 'transport' };

  it('turns each error into its HTTP status with a bare {code, message} body', async () => {
    const cases: [string, unknown, number, number][] = [
      ['publish', { channel: '', data: {} }, 400, 107],
      ['publish', { channel: 'nope:1', data: {} }, 404, 102],
      ['presence', { channel: 'plain:1' }, 400, 108],
      ['history', { channel: 'chat:1', since: { offset: 1, epoch: 'other' } }, 416, 112],
      ['publish', { channel: 'chat:boom', data: {} }, 500, 100],
      ['rpc', { method: 'sum' }, 404, 104],
    ];
    for (const [method, body, status, code] of cases) {
      const answer = await call(method, body, transport);
      assert.equal(answer.status, status, `${method} ${JSON.stringify(body)}`);
      assert.equal(JSON.parse(answer.text).code, code);
    }
    await assertStillServing();
  });

  it('keeps successes, broadcast entries and batch replies at 200', async () => {
    const ok200 = await call('publish', { channel: 'chat:1', data: {} }, transport);
    assert.deepEqual([ok200.status, JSON.parse(ok200.text)], [200, { result: { offset: 7, epoch: EPOCH } }]);
    const broadcastAnswer = await call('broadcast', { channels: ['nope:1'], data: {} }, transport);
    assert.equal(broadcastAnswer.status, 200);
    const batchAnswer = await call('batch', { commands: [{ presence: { channel: 'plain:1' } }] }, transport);
    assert.equal(batchAnswer.status, 200);
  });

  it('applies to every request when configured, without the header', async () => {
    const url = await startApi(undefined, { errorMode: 'transport' });
    const answer = await send(`${url}/api/publish`, { method: 'POST', headers: { 'X-API-Key': KEY }, body: '{"channel":"nope:1","data":{}}' });
    assert.equal(answer.status, 404);
    assert.deepEqual(JSON.parse(answer.text), { code: 102, message: 'unknown channel' });
  });
});
