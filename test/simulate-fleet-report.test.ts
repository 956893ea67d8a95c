/**
 * Fleets started with `switchboard simulate` in a terminal, seen by the cluster: a real cluster, a
 * real CLI process with a small fleet; the admin API lists it (`simulator.fleets`, request and push)
 * with counts that grow, then its final state. A fleet whose server does not take reports (an older
 * one) runs on and says so once. Bad reports get a 400 that names what is wrong, a wrong key 401,
 * and the supervisor lives on.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { ExternalFleet } from '../shared/admin/external-fleet-model.js';
import { FLEET_STATUS_PATH } from '../shared/admin/external-fleet-model.js';
import { emptySimulatorCounts } from '../shared/admin/simulator-model.js';
import { AdminClient } from './support/admin-client.js';
import type { TestCluster } from './support/test-cluster.js';
import { startTestCluster, waitFor } from './support/test-cluster.js';
import type { SimulateProcess } from './support/simulate-process.js';
import { startSimulate } from './support/simulate-process.js';

/**
 * 10 chat bots in 2 rooms, 2 publications/s per room, for 20 s: bots publish only while the fleet
 * is running (from when all have subscribed to 4 s before the end), and the supervisor pushes its
 * list once a second, so the run must be long enough for a loaded machine to push that phase.
 */
const SMALL_FLEET = ['--profile', 'chat', '--clients', '10', '--channels', '2', '--rate', '2', '--ramp', '1s', '--duration', '20s'];

let cluster: TestCluster;
let admin: AdminClient;
/** A server that knows no fleet reports: every path is a 404, as on a Switchboard before them. */
let older: Server;
const runs: SimulateProcess[] = [];

function simulate(apiUrl: string): SimulateProcess {
  const { config, handle } = cluster;
  const run = startSimulate({ clientUrl: handle.clientUrl, apiUrl, apiKey: config.apiKey, tokenSecret: config.client.tokenHmacSecret }, SMALL_FLEET);
  runs.push(run);
  return run;
}

/** The fleet of CLI process `pid` in the latest `simulator.fleets` push that has it and satisfies `check`. */
async function pushedFleet(run: SimulateProcess, check: (f: ExternalFleet) => boolean, timeoutMs: number, what: string): Promise<ExternalFleet> {
  let found: ExternalFleet | undefined;
  try {
    await waitFor(() => {
      found = admin.fleets.flatMap((p) => p.fleets).filter((f) => f.pid === run.pid && check(f)).at(-1);
      return found !== undefined;
    }, { timeoutMs, what });
  } catch (e) {
    const seen = admin.fleets.flatMap((p) => p.fleets).filter((f) => f.pid === run.pid)
      .map((f) => `${f.status.state} sent ${f.status.counts.sent} received ${f.status.counts.received}`);
    const states = seen.filter((line, i) => line !== seen[i - 1]).slice(-12).join('; ') || 'none';
    throw new Error(`${(e as Error).message}; pushes of this fleet (${admin.fleets.length} pushes in all): ${states}\n`
      + `CLI stdout:\n${run.stdout().slice(-1500)}\nCLI stderr:\n${run.stderr().slice(-1500)}`, { cause: e });
  }
  return found!;
}

function post(body: string, key: string | null, method = 'POST'): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['x-api-key'] = key;
  return fetch(`http://127.0.0.1:${cluster.handle.port}${FLEET_STATUS_PATH}`, { method, headers, ...(method === 'POST' ? { body } : {}) })
    .then(async (res) => ({ status: res.status, text: await res.text() }));
}

describe('fleets started with switchboard simulate', () => {
  before(async () => {
    cluster = await startTestCluster({ nodes: 1 });
    admin = cluster.track(await AdminClient.connect(cluster.handle));
    older = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    });
    await new Promise<void>((resolve) => older.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    await Promise.all(runs.map((r) => r.stop()));
    await new Promise<void>((resolve) => older.close(() => resolve()));
    await cluster.stop();
  });

  it('are listed while they run, with growing counts and then their final state; one whose server takes no reports runs on', async () => {
    const reporting = simulate(cluster.handle.apiUrl);
    const unheard = simulate(`http://127.0.0.1:${(older.address() as AddressInfo).port}/api`);

    const first = await pushedFleet(reporting, (f) => f.status.state === 'running' && f.status.counts.sent > 0, 45_000, 'the CLI fleet running and publishing');
    assert.equal(first.key, `${os.hostname()}/${reporting.pid}/cli`);
    assert.equal(first.status.params.clients, 10);
    assert.equal(first.status.pids[0], reporting.pid, 'the coordinating process first');
    await pushedFleet(reporting, (f) => f.status.counts.sent > first.status.counts.sent && f.status.counts.received > first.status.counts.received,
      10_000, 'its counts to grow');
    const listed = await admin.request('simulator.fleets', {});
    assert.ok(listed.fleets.some((f) => f.pid === reporting.pid), 'the request lists it too');

    assert.equal(await reporting.exitWithin(40_000), 0, reporting.stderr());
    const { fleets } = await admin.request('simulator.fleets', {});
    const final = fleets.find((f) => f.pid === reporting.pid);
    assert.equal(final?.status.state, 'finished', 'its final status was reported before the CLI exited');
    assert.ok(final.status.counts.sent > 0 && final.status.counts.lost === 0 && final.status.counts.duplicated === 0);
    assert.equal(final.status.counts.received, final.status.counts.sent * 5, 'every publication reached the 5 bots of its room');
    assert.match(reporting.stdout(), /the cluster's console shows this fleet in its Simulator view/);

    assert.equal(await unheard.exitWithin(40_000), 0, `a server without the route does not fail the run: ${unheard.stderr()}`);
    const notices = unheard.stderr().split('\n').filter((l) => l.includes('does not take fleet reports'));
    assert.equal(notices.length, 1, `said once: ${unheard.stderr()}`);
    assert.match(notices[0]!, /404 from http:\/\/127\.0\.0\.1:\d+\/switchboard\/fleet-status.*the run goes on/);
    assert.ok(!fleets.some((f) => f.pid === unheard.pid), 'the cluster never heard of it');
  });

  it('answers a bad report with a 400 that names what is wrong and a wrong key with 401, and takes the next good one', async () => {
    const key = cluster.config.apiKey;
    const good = {
      pid: 4242, host: 'elsewhere',
      status: {
        id: 'cli', state: 'running', startedAt: Date.now(), elapsedMs: 1000, pids: [4242],
        params: { profile: 'feed', clients: 5, channels: 1, rate: 1, rampSeconds: 0, durationSeconds: 30 }, counts: emptySimulatorCounts(),
      },
    };
    const notJson = await post('{"pid":', key);
    assert.equal(notJson.status, 400);
    assert.match(notJson.text, /^bad fleet status report: the body is not JSON/);
    const missing = await post(JSON.stringify({ pid: 1 }), key);
    assert.equal(missing.status, 400);
    assert.match(missing.text, /^bad fleet status report: host: /);
    const badCount = await post(JSON.stringify({ ...good, status: { ...good.status, counts: { ...good.status.counts, sent: -1 } } }), key);
    assert.equal(badCount.status, 400);
    assert.match(badCount.text, /^bad fleet status report: status\.counts\.sent: /);
    assert.equal((await post(JSON.stringify({ ...good, host: 'x'.repeat(20_000) }), key)).status, 413);
    assert.equal((await post(JSON.stringify(good), 'wrong-key')).status, 401);
    assert.equal((await post(JSON.stringify(good), null)).status, 401);
    assert.equal((await post('', key, 'GET')).status, 405);
    assert.ok(!(await admin.request('simulator.fleets', {})).fleets.some((f) => f.host === 'elsewhere'), 'nothing bad was taken');

    assert.equal((await post(JSON.stringify(good), key)).status, 204);
    const { fleets } = await admin.request('simulator.fleets', {});
    assert.ok(fleets.some((f) => f.key === 'elsewhere/4242/cli' && f.status.params.profile === 'feed'));
    assert.equal((await fetch(`http://127.0.0.1:${cluster.handle.port}/healthz`)).status, 200, 'the supervisor lives on');
  });
});
