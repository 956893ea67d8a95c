/**
 * `useStaleness()`: how old the figures on screen are (staleness.model.ts), from the admin link's
 * state and when the last snapshot arrived, re-read every second on one clock shared by every view
 * and button that asks. `useActionBlock()`: why actions are disabled right now, or null.
 */
import { useSyncExternalStore } from 'react';
import { useCluster } from './cluster.store.js';
import { useSession } from './session.store.js';
import type { Staleness } from './staleness.model.js';
import { stalenessOf } from './staleness.model.js';

const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const getNow = (): number => now;

export function useStaleness(): Staleness {
  const clock = useSyncExternalStore(subscribe, getNow);
  const link = useSession((s) => s.link);
  const receivedAt = useCluster((s) => s.receivedAt);
  // A snapshot that just arrived is newer than the last tick.
  return stalenessOf(link, receivedAt, Math.max(clock, receivedAt));
}

export function useActionBlock(): string | null {
  return useStaleness().blocked;
}
