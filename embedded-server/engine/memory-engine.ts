/**
 * The in-process engine, the zero-setup default: the memory broker (streams, history, fan-out),
 * memory presence with TTL and an in-process control bus. Everything lives and dies with this
 * process; streams come back with new epochs.
 */
import type { MemoryBrokerOptions } from '../broker/memory-broker.js';
import { createMemoryBroker } from '../broker/memory-broker.js';
import { MemoryPresence } from '../broker/memory-presence.js';
import type { Engine } from './engine.js';
import { DEFAULT_PRESENCE_TTL_MS } from './engine.js';
import { MemoryControlBus } from './memory-control-bus.js';

export interface MemoryEngineOptions extends MemoryBrokerOptions {
  /** How long a presence entry lives after its last refresh (default 60 s). */
  presenceTtlMs?: number;
}

/** Creates the in-process engine; `stop()` it to clear its timers. */
export function createMemoryEngine(opts: MemoryEngineOptions = {}): Engine {
  const broker = createMemoryBroker(opts);
  const presence = new MemoryPresence({ ttlMs: opts.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS, now: opts.now });
  const control = new MemoryControlBus();
  let stopping: Promise<void> | undefined;
  return {
    kind: 'memory',
    broker,
    presence,
    control,
    metrics: () => ({ idleChannels: broker.idleChannelStats() }),
    stop: () => {
      stopping ??= (async () => {
        control.stop();
        await broker.stop();
      })();
      return stopping;
    },
  };
}
