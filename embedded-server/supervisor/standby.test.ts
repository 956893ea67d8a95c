/** Warm standby nodes: a real node pool with real node processes; every process is ended by pid. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { defaultClusterConfig } from '../config/resolve-config.js';
import type { NodeId } from '../../shared/ids.js';
import { nodeEntry } from './node-entry.js';
import { NodePool } from './node-pool.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls `check` every 20 ms until it holds; fails naming `what` after 20 s (a bound, not a speed claim). */
async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`gave up waiting for ${what}`);
}

function newPool(standbyNodes: number): NodePool {
  const c = defaultClusterConfig();
  return new NodePool({
    entry: nodeEntry(),
    init: { supervisor: c.name, client: c.client, channels: c.channels, proxies: c.proxies, statsIntervalMs: 200, serverVersion: 'test' },
    autoRestart: true, supervisorId: 'sb-standby', backoffMinMs: 50, backoffMaxMs: 200, standbyNodes,
  }, { message: () => undefined, down: () => undefined, up: () => undefined });
}

describe('warm standby nodes', () => {
  const started: number[] = [];
  const pool = newPool(1);
  const node = 'node-1' as NodeId;
  let standbyPid = 0;

  after(async () => {
    await pool.stop();
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('keeps a standby process beside the nodes, which is never routable', async () => {
    const first = await pool.add();
    started.push(first.pid);
    pool.startStandbys();
    await until('a standby', () => pool.standbyCount === 1);
    standbyPid = pool.standbyPids()[0]!;
    started.push(standbyPid);
    assert.ok(alive(standbyPid));
    assert.notEqual(standbyPid, first.pid);
    assert.deepEqual(pool.all().map((p) => p.pid), [first.pid], 'the node list holds the node only');
    await until('node-1 healthy', () => pool.routable(Date.now()).length === 1);
    assert.deepEqual(pool.routable(Date.now()).map((p) => p.pid), [first.pid]);
  });

  it('restarts a killed node on the standby\'s process, under the same id with a new incarnation', async () => {
    const victim = pool.get(node)!;
    process.kill(victim.pid, 'SIGKILL');
    await until('node-1 back on the standby', () => pool.get(node)!.pid === standbyPid && pool.state(node, Date.now()) === 'healthy');
    const replacement = pool.get(node)!;
    assert.equal(replacement.id, node);
    assert.equal(replacement.incarnation, 'sb-standby/node-1#1');
    assert.equal(pool.restarts(node), 1);
    assert.deepEqual(pool.routable(Date.now()).map((p) => p.pid), [standbyPid]);
  });

  it('forks a new standby in the background once one was taken', async () => {
    await until('a new standby', () => pool.standbyCount === 1);
    const next = pool.standbyPids()[0]!;
    started.push(next);
    assert.notEqual(next, standbyPid);
    assert.ok(alive(next));
    assert.ok(!pool.routable(Date.now()).some((p) => p.pid === next), 'a standby takes no connection');
  });

  it('ends the standby processes with the pool', async () => {
    const spare = pool.standbyPids()[0]!;
    await pool.stop();
    await until('the standby gone', () => !alive(spare));
    assert.equal(pool.standbyCount, 0);
  });
});

describe('standby_nodes: 0', () => {
  it('forks no standby, and a killed node restarts on a process of its own', async () => {
    const pool = newPool(0);
    const pids: number[] = [];
    try {
      const first = await pool.add();
      pids.push(first.pid);
      pool.startStandbys();
      assert.equal(pool.standbyCount, 0);
      process.kill(first.pid, 'SIGKILL');
      await until('node-1 restarted', () => pool.get('node-1')!.pid !== first.pid && pool.state('node-1' as NodeId, Date.now()) === 'healthy');
      pids.push(pool.get('node-1')!.pid);
      assert.deepEqual(pool.standbyPids(), []);
    } finally {
      await pool.stop();
      for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
