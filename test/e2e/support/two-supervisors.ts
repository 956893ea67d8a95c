/**
 * One console over two supervisors on one Redis: a redis-server started here on a free port,
 * supervisor A (2 nodes) and supervisor B (1 node) on it under a key prefix of their own, and the
 * console opened on B. `stop` ends all of it, B first, by pid; a start that fails part-way stops
 * what it had started before it throws.
 */
import { randomUUID } from 'node:crypto';
import { startRedis } from '../../support/redis-server.js';
import type { RunningRedis } from '../../support/redis-server.js';
import { startTestCluster } from '../../support/test-cluster.js';
import type { TestCluster } from '../../support/test-cluster.js';
import { ConsoleSession } from './console-session.js';

export class TwoSupervisors {
  private constructor(readonly redis: RunningRedis, readonly a: TestCluster, readonly session: ConsoleSession) {}

  /** `names`: the supervisors' cluster names, A's and B's (the console's headings show them). */
  static async start(names: { a: string; b: string }): Promise<TwoSupervisors> {
    const redis = await startRedis();
    let a: TestCluster | undefined;
    try {
      const engine = { type: 'redis' as const, redis: { address: redis.url, prefix: `e2e${process.pid}-${randomUUID().slice(0, 8)}` } };
      a = await startTestCluster({ name: names.a, nodes: 2, engine });
      const session = await ConsoleSession.start({ name: names.b, nodes: 1, engine });
      return new TwoSupervisors(redis, a, session);
    } catch (e) {
      await a?.stop();
      await redis.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.session.stop();
    await this.a.stop();
    await this.redis.stop();
  }
}
