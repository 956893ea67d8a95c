/** The node's stats report (ARCHITECTURE.md "Health"): counters, CPU, memory, event-loop delay. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NodeStats } from '../../shared/ipc/node-ipc.js';
import type { NodeRuntime } from './node-runtime.js';

export class StatsReporter {
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });

  constructor(private readonly rt: NodeRuntime) {
    this.loop.enable();
  }

  /** Figures now; the event-loop histogram restarts for the next period. */
  read(): NodeStats {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const c = this.rt.counters;
    const stats: NodeStats = {
      connections: this.rt.sessions.size,
      users: this.rt.byUser.size,
      subscriptions: this.rt.hub.subscriptions,
      messagesIn: c.messagesIn,
      messagesOut: c.messagesOut,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      cpuMicros: cpu.user + cpu.system,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      loopDelayP50: this.loop.percentile(50) / 1e6,
      loopDelayP99: this.loop.percentile(99) / 1e6,
      handoffsSettled: c.handoffsSettled,
    };
    this.loop.reset();
    return stats;
  }

  stop(): void {
    this.loop.disable();
  }
}
