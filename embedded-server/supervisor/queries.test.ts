import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { AdminParamsInput } from '../../shared/admin/admin-api.js';
import { ADMIN_PARAMS } from '../../shared/admin/admin-api.js';
import type { ChannelRow } from '../../shared/admin/admin-model.js';
import { asNodeId } from '../../shared/ids.js';
import type { SessionRecord } from './registry.js';
import { queryChannels, queryConnections } from './queries.js';

/** Params as the codec hands them over: validated, with defaults filled in. */
const cq = (input: AdminParamsInput<'connections.query'>) => ADMIN_PARAMS['connections.query'].parse(input);
const chq = (input: AdminParamsInput<'channels.query'>) => ADMIN_PARAMS['channels.query'].parse(input);

function session(client: string, user: string, node: string, remote: string, connectedAt: number, channels: string[] = []): SessionRecord {
  return { client, user, node: asNodeId(node), remote, connectedAt, name: 'js', version: '5.8.0', channels: new Set(channels) };
}

const SESSIONS: SessionRecord[] = [
  session('c-alice-1', 'alice', 'node-1', '10.0.0.1', 1000, ['chat:a', 'chat:b']),
  session('c-alice-2', 'alice', 'node-2', '10.0.0.2', 3000, ['chat:a']),
  session('c-bob-1', 'Bob', 'node-1', '192.168.1.5', 2000, []),
  session('d-carol', 'carol', 'node-3', '10.0.0.30', 2000, ['chat:a', 'chat:b', 'news']),
  session('e-anon', '', 'node-2', '::1', 4000, ['news']),
];

const clients = (r: { items: { client: string }[] }) => r.items.map((i) => i.client);
const names = (r: { items: ChannelRow[] }) => r.items.map((i) => i.channel);

describe('connections query filters', () => {
  it('answers every session, oldest first, with total, when no filter is given', () => {
    const r = queryConnections(SESSIONS, cq({}));
    assert.equal(r.total, 5);
    assert.equal(r.offset, 0);
    assert.deepEqual(clients(r), ['c-alice-1', 'c-bob-1', 'd-carol', 'c-alice-2', 'e-anon']);
  });

  it('matches the user exactly, including the empty anonymous user', () => {
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { user: 'alice' } }))), ['c-alice-1', 'c-alice-2']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { user: 'ali' } }))), []);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { user: '' } }))), ['e-anon']);
  });

  it('matches the client id exactly or by prefix', () => {
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { client: 'c-bob-1' } }))), ['c-bob-1']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { client: 'c-' } }))), ['c-alice-1', 'c-bob-1', 'c-alice-2']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { client: 'alice' } }))), []);
  });

  it('keeps the sessions subscribed to the channel', () => {
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { channel: 'chat:b' } }))), ['c-alice-1', 'd-carol']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { channel: 'chat' } }))), []);
  });

  it('matches the node exactly', () => {
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { node: 'node-2' } }))), ['c-alice-2', 'e-anon']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { node: 'node' } }))), []);
  });

  it('matches the remote address as a substring', () => {
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { remote: '0.0.3' } }))), ['d-carol']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { remote: '10.0.0.' } }))), ['c-alice-1', 'd-carol', 'c-alice-2']);
  });

  it('keeps connectedAfter inclusive and connectedBefore exclusive', () => {
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { connectedAfter: 2000 } }))), ['c-bob-1', 'd-carol', 'c-alice-2', 'e-anon']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { connectedBefore: 2000 } }))), ['c-alice-1']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { connectedAfter: 2000, connectedBefore: 3001 } }))), ['c-bob-1', 'd-carol', 'c-alice-2']);
  });

  it('matches text case-insensitively in user, client, remote or node, with regex characters taken literally', () => {
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { text: 'BOB' } }))), ['c-bob-1']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { text: 'NODE-3' } }))), ['d-carol']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { text: '192.168' } }))), ['c-bob-1']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { text: 'E-ANON' } }))), ['e-anon']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { text: '10.0.0.3' } }))), ['d-carol']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { text: '1.5' } }))), ['c-bob-1']);
    assert.deepEqual(clients(queryConnections(SESSIONS, cq({ filter: { text: '.*' } }))), []);
  });

  it('combines filters with AND and counts the total before paging', () => {
    const r = queryConnections(SESSIONS, cq({ filter: { channel: 'chat:a', remote: '10.0.0.' }, limit: 1 }));
    assert.equal(r.total, 3);
    assert.deepEqual(clients(r), ['c-alice-1']);
  });

  it('answers rows with the subscription count and the SDK name and version', () => {
    const [row] = queryConnections(SESSIONS, cq({ filter: { client: 'd-carol' } })).items;
    assert.deepEqual(row, {
      client: 'd-carol', user: 'carol', node: 'node-3', remote: '10.0.0.30', connectedAt: 2000, subscriptions: 3, name: 'js', version: '5.8.0',
    });
  });
});

describe('connections query sorting', () => {
  const sorted = (by: 'connectedAt' | 'user' | 'client' | 'node' | 'remote' | 'subscriptions', dir: 'asc' | 'desc') =>
    clients(queryConnections(SESSIONS, cq({ sort: { by, dir } })));

  it('sorts by connectedAt both ways, ties by client id ascending', () => {
    assert.deepEqual(sorted('connectedAt', 'asc'), ['c-alice-1', 'c-bob-1', 'd-carol', 'c-alice-2', 'e-anon']);
    assert.deepEqual(sorted('connectedAt', 'desc'), ['e-anon', 'c-alice-2', 'c-bob-1', 'd-carol', 'c-alice-1']);
  });

  it('sorts by user both ways, by code units (upper case first), ties by client id ascending', () => {
    assert.deepEqual(sorted('user', 'asc'), ['e-anon', 'c-bob-1', 'c-alice-1', 'c-alice-2', 'd-carol']);
    assert.deepEqual(sorted('user', 'desc'), ['d-carol', 'c-alice-1', 'c-alice-2', 'c-bob-1', 'e-anon']);
  });

  it('sorts by client id both ways', () => {
    assert.deepEqual(sorted('client', 'asc'), ['c-alice-1', 'c-alice-2', 'c-bob-1', 'd-carol', 'e-anon']);
    assert.deepEqual(sorted('client', 'desc'), ['e-anon', 'd-carol', 'c-bob-1', 'c-alice-2', 'c-alice-1']);
  });

  it('sorts by node both ways, ties by client id ascending', () => {
    assert.deepEqual(sorted('node', 'asc'), ['c-alice-1', 'c-bob-1', 'c-alice-2', 'e-anon', 'd-carol']);
    assert.deepEqual(sorted('node', 'desc'), ['d-carol', 'c-alice-2', 'e-anon', 'c-alice-1', 'c-bob-1']);
  });

  it('sorts by remote address both ways', () => {
    assert.deepEqual(sorted('remote', 'asc'), ['c-alice-1', 'c-alice-2', 'd-carol', 'c-bob-1', 'e-anon']);
    assert.deepEqual(sorted('remote', 'desc'), ['e-anon', 'c-bob-1', 'd-carol', 'c-alice-2', 'c-alice-1']);
  });

  it('sorts by subscription count both ways, ties by client id ascending', () => {
    assert.deepEqual(sorted('subscriptions', 'asc'), ['c-bob-1', 'c-alice-2', 'e-anon', 'c-alice-1', 'd-carol']);
    assert.deepEqual(sorted('subscriptions', 'desc'), ['d-carol', 'c-alice-1', 'c-alice-2', 'e-anon', 'c-bob-1']);
  });
});

describe('connections query paging', () => {
  it('pages with offset and limit and echoes the offset', () => {
    const r = queryConnections(SESSIONS, cq({ sort: { by: 'client', dir: 'asc' }, offset: 1, limit: 2 }));
    assert.deepEqual({ total: r.total, offset: r.offset, items: clients(r) }, { total: 5, offset: 1, items: ['c-alice-2', 'c-bob-1'] });
  });

  it('answers a short last page and an empty page past the end, with the full total', () => {
    const last = queryConnections(SESSIONS, cq({ sort: { by: 'client', dir: 'asc' }, offset: 4, limit: 2 }));
    assert.deepEqual(clients(last), ['e-anon']);
    const past = queryConnections(SESSIONS, cq({ offset: 5 }));
    assert.deepEqual({ total: past.total, items: past.items }, { total: 5, items: [] });
  });

  it('answers total 0 and no rows when nothing matches or there are no sessions', () => {
    assert.deepEqual(queryConnections(SESSIONS, cq({ filter: { user: 'nobody' } })), { total: 0, offset: 0, items: [] });
    assert.deepEqual(queryConnections(new Map<string, SessionRecord>().values(), cq({})), { total: 0, offset: 0, items: [] });
  });

  it('visits every match exactly once when paging through equal sort values', () => {
    const same = Array.from({ length: 25 }, (_, i) => session(`c${String(i).padStart(2, '0')}`, 'u', 'node-1', 'r', 1, []));
    const reversed = [...same].reverse();
    const seen: string[] = [];
    for (let offset = 0; offset < 25; offset += 10) seen.push(...clients(queryConnections(reversed, cq({ offset, limit: 10 }))));
    assert.deepEqual(seen, same.map((s) => s.client).sort());
  });
});

describe('connections query at 20,000 sessions', () => {
  it('answers a filtered, sorted page that matches a naive reference', () => {
    const all: SessionRecord[] = [];
    for (let i = 0; i < 20_000; i++) {
      const channels = Array.from({ length: i % 7 }, (_, k) => `chat:${(i + k) % 50}`);
      all.push(session(`client-${i}`, `user-${i % 1000}`, `node-${(i % 4) + 1}`, `10.1.${i % 256}.${i % 97}`, 1_000_000 + ((i * 7919) % 20_000), channels));
    }
    const params = cq({ filter: { channel: 'chat:7', node: 'node-2' }, sort: { by: 'subscriptions', dir: 'desc' }, offset: 40, limit: 25 });
    const t0 = performance.now();
    const r = queryConnections(all.values(), params);
    console.log(`connections.query over 20,000 sessions: ${(performance.now() - t0).toFixed(2)} ms (${r.total} matches)`);

    const expected = all
      .filter((s) => s.channels.has('chat:7') && s.node === 'node-2')
      .sort((a, b) => b.channels.size - a.channels.size || (a.client < b.client ? -1 : a.client > b.client ? 1 : 0));
    assert.ok(expected.length > 65, 'the fixture yields more than two pages');
    assert.equal(r.total, expected.length);
    assert.deepEqual(clients(r), expected.slice(40, 65).map((s) => s.client));
    assert.ok(r.items.every((row, i) => i === 0 || row.subscriptions <= r.items[i - 1].subscriptions));
  });
});

const row = (channel: string, subscribers: number, publicationsPerSec: number): ChannelRow => ({
  channel, namespace: channel.includes(':') ? channel.slice(0, channel.indexOf(':')) : '', subscribers, nodes: 1, publicationsPerSec,
});
const CHANNELS: ChannelRow[] = [
  row('chat:general', 10, 2), row('chat:Random', 3, 9), row('news', 10, 0.5), row('news:sport', 1, 4), row('personal:#alice', 3, 0),
];

describe('channels query', () => {
  it('answers every channel by subscribers, most first, ties by name ascending, when nothing is given', () => {
    const r = queryChannels(CHANNELS, chq({}));
    assert.equal(r.total, 5);
    assert.deepEqual(names(r), ['chat:general', 'news', 'chat:Random', 'personal:#alice', 'news:sport']);
  });

  it('filters by name prefix, namespace and case-insensitive text', () => {
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ filter: { prefix: 'news' } }))), ['news', 'news:sport']);
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ filter: { namespace: 'news' } }))), ['news:sport']);
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ filter: { namespace: '' } }))), ['news']);
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ filter: { text: 'RANDOM' } }))), ['chat:Random']);
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ filter: { text: '#a' } }))), ['personal:#alice']);
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ filter: { prefix: 'chat:', text: 'gen' } }))), ['chat:general']);
  });

  it('sorts by subscribers ascending, ties by name ascending', () => {
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ sort: { by: 'subscribers', dir: 'asc' } }))),
      ['news:sport', 'chat:Random', 'personal:#alice', 'chat:general', 'news']);
  });

  it('sorts by publication rate both ways', () => {
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ sort: { by: 'rate', dir: 'desc' } }))),
      ['chat:Random', 'news:sport', 'chat:general', 'news', 'personal:#alice']);
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ sort: { by: 'rate', dir: 'asc' } }))),
      ['personal:#alice', 'news', 'chat:general', 'news:sport', 'chat:Random']);
  });

  it('sorts by name both ways', () => {
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ sort: { by: 'name', dir: 'asc' } }))),
      ['chat:Random', 'chat:general', 'news', 'news:sport', 'personal:#alice']);
    assert.deepEqual(names(queryChannels(CHANNELS, chq({ sort: { by: 'name', dir: 'desc' } }))),
      ['personal:#alice', 'news:sport', 'news', 'chat:general', 'chat:Random']);
  });

  it('sorts names in natural order, sim-2 before sim-10, both ways', () => {
    const sims = [10, 2, 1, 11, 0, 9].map((n) => row(`chat:sim-${n}`, 1, 0));
    assert.deepEqual(names(queryChannels(sims, chq({ sort: { by: 'name', dir: 'asc' } }))),
      ['chat:sim-0', 'chat:sim-1', 'chat:sim-2', 'chat:sim-9', 'chat:sim-10', 'chat:sim-11']);
    assert.deepEqual(names(queryChannels(sims, chq({ sort: { by: 'name', dir: 'desc' } }))),
      ['chat:sim-11', 'chat:sim-10', 'chat:sim-9', 'chat:sim-2', 'chat:sim-1', 'chat:sim-0']);
  });

  it('breaks ties in natural order too, so pages of equal counts follow on from each other', () => {
    const sims = Array.from({ length: 25 }, (_, n) => row(`chat:sim-${(n * 7) % 25}`, 2, 0));
    const expected = Array.from({ length: 25 }, (_, n) => `chat:sim-${n}`);
    const paged = [0, 10, 20].flatMap((offset) => names(queryChannels(sims, chq({ offset, limit: 10 }))));
    assert.deepEqual(paged, expected, 'most subscribers first (all equal), then by name, page after page');
  });

  it('pages with offset and limit, keeps the total, and does not reorder the input', () => {
    const before = names({ items: CHANNELS });
    const r = queryChannels(CHANNELS, chq({ sort: { by: 'name', dir: 'asc' }, offset: 3, limit: 5 }));
    assert.deepEqual({ total: r.total, offset: r.offset, items: names(r) }, { total: 5, offset: 3, items: ['news:sport', 'personal:#alice'] });
    assert.deepEqual(queryChannels(CHANNELS, chq({ offset: 9 })), { total: 5, offset: 9, items: [] });
    assert.deepEqual(queryChannels([], chq({})), { total: 0, offset: 0, items: [] });
    assert.deepEqual(names({ items: CHANNELS }), before);
  });
});
