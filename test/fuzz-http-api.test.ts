/**
 * Fuzzing the server HTTP API (issue 11 §2): bodies built from each method's well-formed request
 * and mutated field by field, batches of 0–60 such commands, broken JSON, and mutated headers (key,
 * content type, error mode, HTTP method). Every answer is one of the API's statuses with a JSON
 * result or a protocol error (never 100 "internal server error"), never a stack trace; a request
 * refused as a whole changes nothing (channels, history top, nodes compared before and after); a
 * real client on the cluster keeps getting every publication. Budget and seed: fuzz-budget.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzz, leakedStack } from './support/fuzz-budget.js';
import { hostileString, hostileValue, mutated } from './support/fuzz-values.js';
import { assertNodesUnchanged, WatchedChannel } from './support/fuzz-watch.js';
import { startTestCluster } from './support/test-cluster.js';
import type { TestCluster } from './support/test-cluster.js';

/** A well-formed request per method; users and channels are ones the watcher does not use. */
const BASE: Record<string, Record<string, unknown>> = {
  publish: { channel: 'chat:fuzz', data: { a: 1 }, skip_history: false, tags: { t: 'v' }, idempotency_key: 'k' },
  broadcast: { channels: ['chat:fuzz', 'feed:fuzz'], data: { a: 1 } },
  subscribe: { user: 'nobody', channel: 'chat:fuzz', client: 'c-1' },
  unsubscribe: { user: 'nobody', channel: 'chat:fuzz' },
  disconnect: { user: 'nobody', disconnect: { code: 4000, reason: 'r' } },
  history: { channel: 'chat:fuzz', limit: 5, since: { offset: 1, epoch: 'e' }, reverse: true },
  history_remove: { channel: 'chat:fuzz' },
  presence: { channel: 'chat:fuzz' },
  presence_stats: { channel: 'chat:fuzz' },
  info: {},
  rpc: { method: 'm', params: {} },
  refresh: { user: 'nobody', expire_at: 1 },
  channels: { pattern: 'chat:*' },
};
const METHODS = Object.keys(BASE);
/** Statuses of the API; 409 and 416 only in transport error mode (http-api.ts). */
const STATUSES = new Set([200, 400, 401, 404, 405, 409, 413, 415, 416]);

interface HttpCase { path: string; httpMethod: string; key: 'right' | 'wrong' | 'none'; contentType: string; transport: boolean; body: string }

const command = fc.constantFrom(...METHODS).chain((m) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(BASE[m]) }, { weight: 3, arbitrary: mutated(BASE[m]) }).map((p) => ({ m, p })));

const body: fc.Arbitrary<{ method: string; text: string }> = fc.oneof(
  { weight: 6, arbitrary: command.map(({ m, p }) => ({ method: m, text: JSON.stringify(p) })) },
  { weight: 2, arbitrary: fc.array(command, { maxLength: 60 }).map((cs) => ({ method: 'batch', text: JSON.stringify({ commands: cs.map(({ m, p }) => ({ [m]: p })), parallel: cs.length % 2 === 0 }) })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...METHODS, 'batch', 'nope', '__proto__', 'constructor'), fc.oneof(hostileValue.map((v) => JSON.stringify(v) ?? ''), hostileString, fc.constantFrom('', '{', '[]', 'null', '{"channel":'))).map(([method, text]) => ({ method, text })) },
);

const httpCase: fc.Arbitrary<HttpCase> = fc.record({
  body,
  httpMethod: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH') }),
  key: fc.oneof({ weight: 12, arbitrary: fc.constant('right' as const) }, { weight: 1, arbitrary: fc.constantFrom('wrong' as const, 'none' as const) }),
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', '', 'application/x-www-form-urlencoded'),
  transport: fc.boolean(),
  query: fc.constantFrom('', '?x=1', '?api_key=wrong', '/../info', '%2e%2e/info'),
}).map(({ body: b, query, ...rest }) => ({ ...rest, path: `/${b.method}${query}`, body: b.text }));

describe('server HTTP API fuzzing', () => {
  let cluster: TestCluster;
  let watched: WatchedChannel;
  before(async () => {
    cluster = await startTestCluster({ nodes: 2 });
    watched = await WatchedChannel.start(cluster, 'watcher', 'chat:watched', 100);
  });
  after(async () => {
    watched.stop();
    await cluster.stop();
  });

  const send = async (c: HttpCase): Promise<{ status: number; text: string }> => {
    const headers: Record<string, string> = {};
    if (c.contentType) headers['content-type'] = c.contentType;
    if (c.key !== 'none') headers['x-api-key'] = c.key === 'right' ? cluster.config.apiKey : `${cluster.config.apiKey}x`;
    if (c.transport) headers['x-centrifugo-error-mode'] = 'transport';
    const res = await fetch(`${cluster.handle.apiUrl}${c.path}`, { method: c.httpMethod, headers, ...(c.httpMethod === 'GET' ? {} : { body: c.body }) });
    return { status: res.status, text: await res.text() };
  };
  const state = async (): Promise<string> => {
    const channels = await cluster.api('channels', {});
    const history = await cluster.api('history', { channel: 'chat:fuzz', limit: 0 });
    const info = (await cluster.api('info', {})).body as { result: { nodes: { uid: string }[] } };
    return JSON.stringify([channels.text, history.text, info.result.nodes.map((n) => n.uid)]);
  };

  it('answers every mutated request with an API status and a protocol error or result, and a refused one changes nothing', async () => {
    const nodes = cluster.handle.nodes();
    assert.equal((await cluster.api('publish', { channel: 'chat:fuzz', data: { kept: true } })).status, 200);
    const tally = new Map<string, number>();
    let cases = 0;
    await fuzz('server HTTP API', 2000, fc.asyncProperty(httpCase, async (c) => {
      cases++;
      const before = await state();
      const { status, text } = await send(c);
      assert.ok(STATUSES.has(status), `status ${status} for ${c.httpMethod} ${c.path}`);
      assert.equal(leakedStack(text), null, `a stack trace in ${text.slice(0, 300)}`);
      let refused = status !== 200;
      if (status === 200 || (c.transport && text.startsWith('{'))) {
        const parsed = JSON.parse(text) as { result?: unknown; error?: { code: number }; code?: number; replies?: unknown };
        const error = parsed.error ?? (status !== 200 ? parsed : undefined);
        if (error !== undefined) {
          assert.ok(typeof error.code === 'number' && error.code > 100 && error.code <= 113, `error ${text.slice(0, 200)}`);
          refused = parsed.result === undefined && parsed.replies === undefined && !c.path.startsWith('/batch');
        }
      }
      const label = `${status}${refused ? ' refused' : ''}`;
      tally.set(label, (tally.get(label) ?? 0) + 1);
      if (refused) assert.equal(await state(), before, `the refused ${c.httpMethod} ${c.path} ${c.body.slice(0, 200)} changed the cluster`);
      assertNodesUnchanged(cluster, nodes);
    }));
    const { published } = await watched.verify();
    process.stdout.write(`# server HTTP API: ${cases} cases; ${[...tally].map(([k, v]) => `${k}×${v}`).join(', ')}; watcher got ${published}/${published}\n`);
  });
});
