/** The node's stats report (ARCHITECTURE.md "Health"): counters, CPU, memory, event-loop delay. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NodeStats } from '../../shared/ipc/node-ipc.js';
import type { NodeRuntime } from './node-runtime.js';

const RESOLUTION_MS = 10;

/** The histogram samples the gap between timer ticks, so an idle loop reads as the resolution itself. */
const delayMs = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);

export class StatsReporter {
  private readonly loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

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
      loopDelayP50: delayMs(this.loop.percentile(50)),
      loopDelayP99: delayMs(this.loop.percentile(99)),
      handoffsSettled: c.handoffsSettled,
    };
    this.loop.reset();
    return stats;
  }

  stop(): void {
    this.loop.disable();
  }
}
