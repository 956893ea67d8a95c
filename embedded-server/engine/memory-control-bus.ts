/** The in-process {@link ControlBus}: every listener of the same engine, on the next turn. */
import type { ControlMessage } from '../../shared/engine/control-messages.js';
import type { ControlBus } from './engine.js';

export class MemoryControlBus implements ControlBus {
  private readonly listeners = new Set<(message: ControlMessage) => void>();
  private stopped = false;

  // Asynchronous like a real bus, so no publisher relies on a listener having run before it returns.
  async publish(message: ControlMessage): Promise<void> {
    if (this.stopped) return;
    const listeners = [...this.listeners];
    setImmediate(() => {
      for (const listener of listeners) if (this.listeners.has(listener)) listener(message);
    });
  }

  subscribe(listener: (message: ControlMessage) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Drops every listener; later publishes go nowhere. */
  stop(): void {
    this.stopped = true;
    this.listeners.clear();
  }
}
