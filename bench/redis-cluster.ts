/**
 * Switchboard on the Redis engine as the bench runs it: one redis-server of its own (Debian's
 * package, `--save '' --appendonly no --daemonize no` on a free port, ready at "Ready to accept
 * connections", ended by pid) and N supervisors (bench/servers/switchboard.ts with `redis` and a
 * `name` each) on one key prefix — one cluster. Publications go to the first supervisor's HTTP API;
 * clients are spread over every supervisor's client port (`info.clientUrls`), so a publication
 * reaches the other supervisors' subscribers through Redis.
 *
 * Its pids are redis-server's and every supervisor's and node's: CPU per delivery counts them all.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { BenchServer, Cpus, NodeInfo } from './children.js';
import { pinningAvailable, ServerProcess, sleep } from './children.js';
import { refOf, running } from './proc.js';
import type { ProcessRef } from './proc.js';
import type { ServerInfo } from './servers/common.js';
import { startRedis } from '../test/support/redis-server.js';
import type { RunningRedis } from '../test/support/redis-server.js';

export interface RedisClusterOptions {
  script: string;
  /** The server script's arguments, without `name` and `redis` (added per supervisor). */
  args: Record<string, unknown>;
  supervisors: number;
  execArgv?: readonly string[];
}

export class RedisCluster implements BenchServer {
  readonly info: ServerInfo;
  private readonly redisRef: ProcessRef | null;
  /** The shell that owns redis-server (test/support/redis-server.ts: EOF on its stdin ends redis). */
  private readonly watchdogRef: ProcessRef | null;
  private stopping: Promise<void> | undefined;

  private constructor(private readonly redis: RunningRedis, readonly supervisors: ServerProcess[]) {
    this.redisRef = refOf(redis.serverPid);
    this.watchdogRef = refOf(redis.pid);
    const first = supervisors[0]!.info;
    this.info = { ...first, clientUrls: supervisors.map((s) => s.info.clientUrl) };
  }

  /**
   * Starts redis-server, then the supervisors one after the other (`bench-s1`, `bench-s2`, …); on a
   * failure ends whatever was started. `cpus` pins redis-server along with the supervisors.
   */
  static async start(o: RedisClusterOptions, cpus: Cpus): Promise<RedisCluster> {
    const redis = await startRedis();
    const supervisors: ServerProcess[] = [];
    try {
      if (cpus !== null && pinningAvailable()) execFileSync('taskset', ['-p', '-c', cpus, String(redis.serverPid)], { stdio: 'ignore' });
      const prefix = `bench-${randomBytes(4).toString('hex')}`;
      for (let i = 1; i <= o.supervisors; i++) {
        const args = { ...o.args, name: `bench-s${i}`, redis: { address: redis.url, prefix } };
        supervisors.push(await ServerProcess.start(o.script, args, cpus, o.execArgv));
      }
      return new RedisCluster(redis, supervisors);
    } catch (e) {
      for (const s of supervisors) await s.stop().catch(() => undefined);
      await redis.stop();
      throw e;
    }
  }

  get pid(): number {
    return this.supervisors[0]!.pid;
  }

  get redisPid(): number {
    return this.redis.serverPid;
  }

  get pids(): number[] {
    return [this.redis.serverPid, ...this.supervisors.flatMap((s) => s.pids)];
  }

  /** Asks every supervisor for its pids; one that died (the failover kills one) is skipped, any other failure throws. */
  async refresh(): Promise<{ pids: number[]; nodes: NodeInfo[] }> {
    const nodes: NodeInfo[] = [];
    for (const s of this.supervisors) {
      if (!s.child.connected) continue;
      try {
        nodes.push(...(await s.refresh()).nodes);
      } catch (e) {
        const gone = await Promise.race([s.exited.then(() => true), sleep(1000).then(() => false)]);
        if (!gone) throw e;
      }
    }
    return { pids: this.pids, nodes };
  }

  ref(pid: number): ProcessRef | null {
    if (this.redisRef && pid === this.redisRef.pid) return running(this.redisRef) ? this.redisRef : null;
    for (const s of this.supervisors) {
      const r = s.ref(pid);
      if (r) return r;
    }
    return null;
  }

  allRefs(): ProcessRef[] {
    const own = [this.redisRef, this.watchdogRef].filter((r): r is ProcessRef => r !== null);
    return [...own, ...this.supervisors.flatMap((s) => s.allRefs())];
  }

  /** The supervisors first (they close their Redis connections), then redis-server. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const errors: unknown[] = [];
      for (const s of this.supervisors) await s.stop().catch((e: unknown) => errors.push(e));
      await this.redis.stop();
      if (errors.length > 0) throw errors[0];
    })();
    return this.stopping;
  }
}
