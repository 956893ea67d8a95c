/**
 * `switchboard serve` stopped by SIGTERM while a part of its stop hangs (issue 11 §4): the stop bound
 * (embedded-server/cli.ts STOP_BOUND_MS, 10 s) must hold whatever does not answer. A node frozen by
 * SIGSTOP when the signal lands is resumed and stopped (or killed) by its supervisor; a Redis engine
 * whose server is frozen never answers its unsubscribe and QUIT, so the stop cannot finish: serve
 * exits at the bound anyway, names what it was still waiting for, and leaves no node behind. A second
 * signal during such a stop exits at once, also leaving no node behind.
 *
 * "Within the bound" is a correctness bound, not a speed figure: the wait gives up at the bound plus
 * generous slack (BOUND_WITH_SLACK_MS).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startRedis } from './support/redis-server.js';
import type { RunningRedis } from './support/redis-server.js';
import { liveGroupMembers, processAlive, startServe } from './support/serve-process.js';
import type { ServeProcess } from './support/serve-process.js';
import { waitFor } from './support/test-cluster.js';

const ENV = { SWITCHBOARD_TOKEN_SECRET: randomBytes(32).toString('base64url'), SWITCHBOARD_API_KEY: randomBytes(16).toString('hex') };
/** The CLI's stop bound (embedded-server/cli.ts STOP_BOUND_MS) plus slack for a loaded 2-core machine. */
const BOUND_WITH_SLACK_MS = 20_000;

type Exit = { code: number | null; signal: NodeJS.Signals | null };

async function exitWithinBound(serve: ServeProcess): Promise<Exit> {
  const exit = await Promise.race([serve.exited, new Promise<null>((r) => setTimeout(() => r(null), BOUND_WITH_SLACK_MS))]);
  assert.ok(exit !== null, `serve still running ${BOUND_WITH_SLACK_MS} ms after SIGTERM; output:\n${serve.output().slice(-2000)}`);
  return exit;
}

/** A config file asking for one warm standby node (cluster.standby_nodes; the default is none). */
const CONFIG_DIR = mkdtempSync(join(tmpdir(), 'sb-shutdown-hang-'));
const WITH_STANDBY = join(CONFIG_DIR, 'standby.json');
writeFileSync(WITH_STANDBY, JSON.stringify({ cluster: { standby_nodes: 1 } }));

/** The pids of serve's nodes (and warm standby node, when it has one): every member of its process group but the supervisor. */
function nodePids(serve: ServeProcess): number[] {
  return liveGroupMembers(serve.pid).filter((pid) => pid !== serve.pid);
}

describe('serve stopped by SIGTERM while part of the stop hangs', () => {
  const started: ServeProcess[] = [];
  const redises: RunningRedis[] = [];
  const frozen: number[] = [];

  /** serve with 2 nodes on a redis-server of its own, which is then frozen by SIGSTOP. */
  async function serveOnFrozenRedis(): Promise<{ serve: ServeProcess; nodes: number[]; redis: RunningRedis }> {
    const redis = await startRedis();
    redises.push(redis);
    const serve = await startServe(['--nodes', '2', '--port', '0', '--admin-port', '0', '--engine', 'redis', '--redis-url', redis.url], { env: ENV });
    started.push(serve);
    const nodes = nodePids(serve);
    assert.equal(nodes.length, 2, 'two node processes in serve\'s group');
    process.kill(redis.serverPid, 'SIGSTOP');
    frozen.push(redis.serverPid);
    return { serve, nodes, redis };
  }

  after(async () => {
    for (const pid of frozen) {
      try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
    }
    await Promise.all(started.map((s) => s.stop()));
    await Promise.all(redises.map((r) => r.stop()));
    rmSync(CONFIG_DIR, { recursive: true, force: true });
  });

  it('resumes and stops its nodes and standby node frozen by SIGSTOP when the signal lands, and exits 0 within the bound', async (t) => {
    const serve = await startServe(['--nodes', '2', '--port', '0', '--admin-port', '0', '--config', WITH_STANDBY], { env: ENV });
    started.push(serve);
    const nodes = nodePids(serve);
    assert.equal(nodes.length, 3, 'two node processes and the standby node in serve\'s group');
    // Every one of them frozen: whichever is a node, and the standby too.
    for (const pid of nodes) {
      process.kill(pid, 'SIGSTOP');
      frozen.push(pid);
    }
    const signalledAt = Date.now();
    process.kill(serve.pid, 'SIGTERM');
    const exit = await exitWithinBound(serve);
    t.diagnostic(`SIGTERM with a frozen node → exit ${JSON.stringify(exit)} in ${Date.now() - signalledAt} ms`);
    assert.deepEqual(exit, { code: 0, signal: null }, serve.output().slice(-2000));
    for (const pid of nodes) assert.equal(processAlive(pid), false, `node pid ${pid} is gone`);
    assert.deepEqual(liveGroupMembers(serve.pid), [], 'no process left in serve\'s group');
  });

  it('exits 1 at the bound when its Redis server is frozen, naming the Redis engine, with no node left behind', async (t) => {
    const { serve, nodes, redis } = await serveOnFrozenRedis();
    const signalledAt = Date.now();
    process.kill(serve.pid, 'SIGTERM');
    const exit = await exitWithinBound(serve);
    t.diagnostic(`SIGTERM with a frozen redis-server → exit ${JSON.stringify(exit)} in ${Date.now() - signalledAt} ms`);
    const output = serve.output();
    assert.deepEqual(exit, { code: 1, signal: null }, output.slice(-2000));
    const line = /the cluster did not stop within 10 s.*/.exec(output)?.[0];
    t.diagnostic(`its last word: ${line}`);
    assert.match(line ?? '', /Redis/, `the line names what hung; output:\n${output.slice(-2000)}`);
    for (const pid of nodes) assert.equal(processAlive(pid), false, `node pid ${pid} is gone`);
    assert.deepEqual(liveGroupMembers(serve.pid), [], 'no process left in serve\'s group');
    assert.ok(processAlive(redis.serverPid), 'redis-server (not serve\'s to end) is still there, frozen');
  });

  it('exits 1 at once on a second SIGTERM while the stop waits for a frozen Redis server, with no node left behind', async (t) => {
    const { serve, nodes } = await serveOnFrozenRedis();
    process.kill(serve.pid, 'SIGTERM');
    await waitFor(() => serve.output().includes('SIGTERM: stopping the cluster'), { timeoutMs: 5000, what: 'the first signal to be taken' });
    const secondAt = Date.now();
    process.kill(serve.pid, 'SIGTERM');
    const exit = await exitWithinBound(serve);
    const tookMs = Date.now() - secondAt;
    t.diagnostic(`second SIGTERM during a hung stop → exit ${JSON.stringify(exit)} in ${tookMs} ms`);
    assert.deepEqual(exit, { code: 1, signal: null }, serve.output().slice(-2000));
    assert.match(serve.output(), /SIGTERM again: exiting now/);
    assert.doesNotMatch(serve.output(), /did not stop within/, 'it exited on the second signal, not at the bound');
    await waitFor(() => nodes.every((pid) => !processAlive(pid)), { timeoutMs: 5000, what: 'every node process to be gone' });
    assert.deepEqual(liveGroupMembers(serve.pid), [], 'no process left in serve\'s group');
  });
});
