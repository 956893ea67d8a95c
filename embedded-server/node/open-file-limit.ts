/**
 * How many client connections this process can hold: every WebSocket is one open file, and the
 * process's open-file limit (`ulimit -n`, RLIMIT_NOFILE) is shared with what the node needs for
 * itself. At the limit a node cannot take a handed-over socket, nor read its own memory figures;
 * the supervisor routes around a node that reports itself full instead.
 */
import { readFileSync } from 'node:fs';

/** Descriptors kept for the process itself: stdio, the IPC channel, libuv's, files it reads. */
export const RESERVED_FILES = 64;

/** The soft "Max open files" limit from the text of /proc/<pid>/limits; null when unlimited or absent. */
export function parseOpenFileLimit(limits: string): number | null {
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined || soft === 'unlimited') return null;
  const n = Number(soft);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Client connections this process can hold; undefined where the limit cannot be read (not Linux). */
export function connectionCapacity(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | undefined {
  let limit: number | null;
  try {
    limit = parseOpenFileLimit(read());
  } catch {
    return undefined;
  }
  return limit === null ? undefined : Math.max(1, limit - RESERVED_FILES);
}
