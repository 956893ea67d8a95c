/** The node's stats report (ARCHITECTURE.md "Health"): counters, CPU, memory, event-loop delay. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
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

  /** Last RSS read: reading it opens /proc/self/stat, which fails while every descriptor is in use. */
  private rss = 0;

  /**
   * Memory now. With the process at its open-file limit (EMFILE) the RSS cannot be read: the last
   * reading stands, and the heap comes from V8, which needs no descriptor.
   */
  private memory(): { rss: number; heapUsed: number } {
    try {
      const mem = process.memoryUsage();
      this.rss = mem.rss;
      return mem;
    } catch {
      return { rss: this.rss, heapUsed: getHeapStatistics().used_heap_size };
    }
  }

  /**
   * Figures now; the event-loop histogram restarts for the next period unless `endPeriod` is false
   * (an early report of changed counts: the delay figures keep covering a whole stats period).
   */
  read(endPeriod = true): NodeStats {
    const cpu = process.cpuUsage();
    const mem = this.memory();
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
    // Only a node with proxies reports them: no copy, no bytes on the IPC channel otherwise.
    if (this.rt.proxy.counters.size > 0) stats.proxies = this.rt.proxy.snapshot();
    if (endPeriod) this.loop.reset();
    return stats;
  }

  stop(): void {
    this.loop.disable();
  }
}
