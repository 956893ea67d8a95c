/**
 * One writer per metrics directory: `writer.lock` holds the pid of the process writing there. A
 * lock left by a process that is gone (a crash) is taken over; one held by a live process is not.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Takes the directory's lock: null when taken, else the pid of the live process holding it. */
export function takeLock(dir: string): number | null {
  const path = join(dir, 'writer.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null;
    }
    const holder = Number.parseInt(readText(path), 10);
    if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) return holder;
    rmSync(path, { force: true });
  }
  return null;
}

/** Gives the lock up (only if this process holds it). */
export function releaseLock(dir: string): void {
  const path = join(dir, 'writer.lock');
  if (readText(path) === String(process.pid)) rmSync(path, { force: true });
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
