/**
 * The load simulator against a real cluster, driven through the admin API as the console drives
 * it: the fleet's own counts are consistent, the console's figures agree with them, recovery after
 * abrupt drops loses nothing, and stopping a fleet leaves no process behind.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { SimulatorStatus } from '../shared/admin/simulator-model.js';
import { AdminClient, AdminRequestError } from './support/admin-client.js';
import type { TestCluster } from './support/test-cluster.js';
import { alive, startTestCluster, waitFor } from './support/test-cluster.js';

const cliPath = fileURLToPath(new URL('../embedded-server/cli.ts', import.meta.url));

let cluster: TestCluster;
let admin: AdminClient;

/** The first `simulator` push of run `id` that satisfies `check`. */
async function pushWhere(id: string, check: (s: SimulatorStatus) => boolean, timeoutMs: number, what: string): Promise<SimulatorStatus> {
  let found: SimulatorStatus | undefined;
  await waitFor(() => (found = admin.simulator.find((s) => s.id === id && check(s))) !== undefined, { timeoutMs, what });
  return found!;
}

const over = (s: SimulatorStatus): boolean => s.state === 'finished' || s.state === 'failed';

describe('the load simulator', () => {
  before(async () => {
    cluster = await startTestCluster({ nodes: 2 });
    admin = cluster.track(await AdminClient.connect(cluster.handle));
  });
  after(() => cluster.stop());

  it('runs a chat fleet whose counts add up, and the console counts the same connections and subscriptions', async () => {
    // 10 s: the running phase (all subscribed, until 2 s before the end) spans several 1 Hz pushes on a loaded machine.
    const { id } = await admin.request('simulator.start', { profile: 'chat', clients: 60, channels: 6, rate: 2, rampSeconds: 1, durationSeconds: 10 });
    const running = await pushWhere(id, (s) => s.state === 'running' && s.counts.connected === 60, 15_000, 'all 60 bots connected');
    assert.equal(running.counts.subscribed, 120, 'a room and its typing channel per bot');
    // Both sides report once a second: wait until the console's snapshot shows what the fleet counts.
    await admin.snapshotWhere((s) => s.totals.connections === 60 && s.totals.subscriptions === 120, 5_000, 'the console to count the fleet');
    const status = await admin.request('simulator.status', {});
    assert.equal(status?.id, id);

    const final = await pushWhere(id, over, 30_000, 'the final counts');
    const c = final.counts;
    assert.equal(final.state, 'finished');
    assert.ok(c.sent > 0, 'bots published');
    assert.equal(c.lost, 0);
    assert.equal(c.duplicated, 0);
    assert.equal(c.outOfOrder, 0);
    assert.equal(c.errors, 0);
    assert.equal(c.received, c.sent * 10, 'every publication reached the 10 bots of its room');
    assert.equal(c.latency.samples, c.received);
    assert.ok(c.typingSent > 0 && c.typingReceived === c.typingSent * 10);
    assert.equal(await admin.request('simulator.status', {}), null);
    for (const pid of final.pids) assert.equal(alive(pid), false, `process ${pid} ended`);
  });

  it('runs a flaky fleet that drops and recovers without losing or duplicating a publication', async () => {
    const { id } = await admin.request('simulator.start', { profile: 'flaky', clients: 40, channels: 4, rate: 2, rampSeconds: 1, durationSeconds: 6 });
    const final = await pushWhere(id, over, 25_000, 'the final counts');
    const c = final.counts;
    assert.equal(final.state, 'finished');
    assert.ok(c.drops > 0, 'bots dropped their connections');
    assert.ok(c.recovered > 0, 'recoveries were counted');
    assert.equal(c.notRecovered, 0);
    assert.equal(c.lost, 0);
    assert.equal(c.duplicated, 0);
    assert.equal(c.outOfOrder, 0);
    for (const pid of final.pids) assert.equal(alive(pid), false, `process ${pid} ended`);
  });

  it('refuses a second fleet while one runs, and simulator.stop ends the fleet\'s processes', async () => {
    const { id } = await admin.request('simulator.start', { profile: 'feed', clients: 20, channels: 2, rate: 1, rampSeconds: 0, durationSeconds: 60 });
    await assert.rejects(admin.request('simulator.start', { profile: 'chat', clients: 5 }), (e: unknown) => e instanceof AdminRequestError && e.error.code === 409);
    const running = await pushWhere(id, (s) => s.pids.length >= 2 && s.counts.connected === 20, 15_000, 'the fleet connected');
    await admin.request('simulator.stop', {});
    await waitFor(() => running.pids.every((pid) => !alive(pid)), { timeoutMs: 2_000, what: 'the fleet processes to exit' });
    assert.equal(await admin.request('simulator.status', {}), null);
    await pushWhere(id, over, 5_000, 'the final push');
    await admin.snapshotWhere((s) => s.totals.connections === 0, 5_000, 'the console to see the bots gone');
  });

  it('exits with code 2 and one line naming an unknown option of simulate', async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', cliPath, 'simulate', '--clinets', '10'], { timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
      });
    });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr.trim(), /^switchboard: unknown option --clinets \(did you mean --clients\? see switchboard simulate --help\)$/);
  });
});
