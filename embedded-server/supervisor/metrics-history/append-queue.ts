/**
 * Appends lines to files off the event loop: lines wait in memory and go out in one asynchronous
 * append per file, one batch at a time. A disk error costs the batch and one warning (repeated only
 * after writes worked again); it never throws into the caller, so live charts keep working.
 */
import { appendFile, open } from 'node:fs/promises';

/** Lines held while the disk does not take them; beyond this the oldest are dropped. */
const MAX_PENDING_LINES = 20_000;

export class AppendQueue {
  private pending = new Map<string, string[]>();
  private pendingLines = 0;
  private running: Promise<void> | null = null;
  /** Files this process checked for a torn last line before its first append. */
  private readonly checked = new Set<string>();
  private failing = false;

  constructor(private readonly warn: (text: string) => void) {}

  /** Queues one line (without its newline) for `path`, and starts writing if nothing is. */
  append(path: string, line: string): void {
    let lines = this.pending.get(path);
    if (!lines) this.pending.set(path, (lines = []));
    lines.push(line);
    if (++this.pendingLines > MAX_PENDING_LINES) this.dropOldest();
    this.running ??= this.drain();
  }

  /** Resolves once every line queued so far is written (or given up). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const batch = this.pending;
        this.pending = new Map();
        this.pendingLines = 0;
        for (const [path, lines] of batch) await this.write(path, lines);
      }
    } finally {
      this.running = null;
    }
  }

  private async write(path: string, lines: string[]): Promise<void> {
    try {
      const lead = this.checked.has(path) ? '' : await tornTail(path);
      this.checked.add(path);
      await appendFile(path, `${lead}${lines.join('\n')}\n`);
      this.failing = false;
    } catch (e) {
      if (this.failing) return;
      this.failing = true;
      this.warn(`cannot write ${path}: ${(e as Error).message} (${lines.length} lines lost; the live charts keep working)`);
    }
  }

  private dropOldest(): void {
    const [path, lines] = this.pending.entries().next().value as [string, string[]];
    lines.shift();
    this.pendingLines--;
    if (lines.length === 0) this.pending.delete(path);
  }
}

/**
 * A newline when the file ends without one (a crash cut its last line): the torn line then stays
 * a line of its own, skipped by the reader, instead of spoiling the next one. Empty for a new file.
 */
async function tornTail(path: string): Promise<string> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await file.stat();
    if (size === 0) return '';
    const { buffer } = await file.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a ? '' : '\n';
  } finally {
    await file.close();
  }
}
