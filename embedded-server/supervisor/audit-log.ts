/**
 * The audit log: every admin action, appended as one JSON line to `<dir>/audit.ndjson`. At
 * `maxFileBytes` the file rotates to `audit.1.ndjson` (the one before it is dropped), so the log
 * holds at most twice that. What the files hold is mirrored in memory, so a query never reads the
 * disk; the files are read back once, at open. Writes go through one queue in the background: a
 * failing disk costs a warning (at most one a minute) and the entry's persistence, never the action.
 */
import { appendFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuditEntry, AuditFilter, AuditPage } from '../../shared/admin/audit-model.js';
import type { Json } from '../../shared/protocol/client-protocol.js';

/** Default rotation size: 5 MB per file, two files (~10,000 entries each at ~500 bytes). */
export const AUDIT_FILE_BYTES = 5 * 1024 * 1024;
/** The current file, and the one rotated out before it, in the data directory. */
export const AUDIT_FILE = 'audit.ndjson';
export const AUDIT_OLD_FILE = 'audit.1.ndjson';
const WARN_EVERY_MS = 60_000;

export interface AuditLogOptions {
  /** The data directory; none keeps the log in memory only (bounded the same way). */
  dir?: string;
  /** Rotate the current file before it grows past this many bytes. */
  maxFileBytes?: number;
  /** Warnings (disk failures, unreadable lines); default: stderr. */
  log?: (line: string) => void;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq'>;

const json: z.ZodType<Json> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(json), z.record(z.string(), json)]));
const entrySchema = z.object({
  seq: z.number().int().min(1), at: z.number(), who: z.string(), supervisor: z.string(), action: z.string(), target: z.string(),
  params: json, reach: z.number().nullable(), ms: z.number(),
  result: z.union([z.object({ ok: z.literal(true), summary: z.string() }), z.object({ ok: z.literal(false), code: z.number(), message: z.string() })]),
});

/** One file's entries as read back, and how many of its lines could not be read. */
export interface ReadBack {
  entries: AuditEntry[];
  bytes: number;
  skipped: number;
  /** The file's last line has no newline (a write cut short): the next append starts a new line. */
  torn: boolean;
}

/** Parses an NDJSON audit file; lines that are not entries are skipped and counted. */
export function parseAuditLines(text: string): Omit<ReadBack, 'bytes'> {
  const entries: AuditEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const entry = entrySchema.safeParse(parsed);
    if (entry.success) entries.push(entry.data as AuditEntry);
    else skipped++;
  }
  return { entries, skipped, torn: text.length > 0 && !text.endsWith('\n') };
}

export class AuditLog {
  private older: AuditEntry[] = [];
  private current: AuditEntry[] = [];
  private currentBytes = 0;
  private seq = 0;
  private torn = false;
  private writing: Promise<void> = Promise.resolve();
  private lastWarnAt = -Infinity;
  private readonly maxBytes: number;
  private readonly log: (line: string) => void;
  /** Lines skipped as unreadable when the files were read back. */
  skipped = 0;

  private constructor(private readonly dir: string | undefined, options: AuditLogOptions) {
    this.maxBytes = options.maxFileBytes ?? AUDIT_FILE_BYTES;
    this.log = options.log ?? ((line) => void process.stderr.write(`switchboard: ${line}\n`));
  }

  /** Reads back what the directory holds; an unreadable file is a warning and an empty start, never a failure. */
  static async open(options: AuditLogOptions = {}): Promise<AuditLog> {
    const log = new AuditLog(options.dir, options);
    if (options.dir === undefined) return log;
    const older = await log.readBack(AUDIT_OLD_FILE);
    const current = await log.readBack(AUDIT_FILE);
    log.older = older.entries;
    log.current = current.entries;
    log.currentBytes = current.bytes;
    log.torn = current.torn;
    log.skipped = older.skipped + current.skipped;
    log.seq = Math.max(0, ...older.entries.map((e) => e.seq), ...current.entries.map((e) => e.seq));
    return log;
  }

  /** Where the log is kept; undefined in memory only. */
  get path(): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, AUDIT_FILE);
  }

  /** Records an entry (numbered here) and queues its write; returns at once. */
  append(fields: NewAuditEntry): AuditEntry {
    const entry: AuditEntry = { seq: ++this.seq, ...fields };
    const line = `${this.torn ? '\n' : ''}${JSON.stringify(entry)}\n`;
    this.torn = false;
    const bytes = Buffer.byteLength(line);
    if (this.currentBytes > 0 && this.currentBytes + bytes > this.maxBytes) {
      this.older = this.current;
      this.current = [];
      this.currentBytes = 0;
      this.enqueue(() => rename(join(this.dir!, AUDIT_FILE), join(this.dir!, AUDIT_OLD_FILE)), 'rotating');
    }
    this.current.push(entry);
    this.currentBytes += bytes;
    this.enqueue(() => appendFile(join(this.dir!, AUDIT_FILE), line, { mode: 0o600 }), 'writing');
    return entry;
  }

  /** Entries matching the filter, newest first, at most `limit`, with the count of all that match. */
  query(filter: AuditFilter, limit: number): AuditPage {
    const match = matcher(filter);
    const entries: AuditEntry[] = [];
    let total = 0;
    for (const list of [this.current, this.older]) {
      for (let i = list.length - 1; i >= 0; i--) {
        const e = list[i]!;
        if (!match(e)) continue;
        total++;
        if (entries.length < limit) entries.push(e);
      }
    }
    const oldest = this.older[0] ?? this.current[0];
    return { entries, total, oldestAt: oldest?.at ?? null };
  }

  /** Resolves once every queued write has been tried. */
  flush(): Promise<void> {
    return this.writing;
  }

  private enqueue(op: () => Promise<unknown>, what: string): void {
    if (this.dir === undefined) return;
    const dir = this.dir;
    this.writing = this.writing
      .then(() => mkdir(dir, { recursive: true, mode: 0o700 }))
      .then(op)
      .then(() => undefined, (e: unknown) => this.warn(`audit log: ${what} ${join(dir, AUDIT_FILE)} failed: ${(e as Error).message} (the action ran; its entry is kept in memory only)`));
  }

  private async readBack(name: string): Promise<ReadBack> {
    const path = join(this.dir!, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`audit log: cannot read ${path}: ${(e as Error).message} (starting without it)`);
      return { entries: [], bytes: 0, skipped: 0, torn: false };
    }
    const parsed = parseAuditLines(text);
    if (parsed.skipped > 0) this.log(`audit log: skipped ${parsed.skipped} unreadable line${parsed.skipped === 1 ? '' : 's'} in ${path}`);
    return { ...parsed, bytes: Buffer.byteLength(text) };
  }

  private warn(line: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.log(line);
  }
}

function matcher(f: AuditFilter): (e: AuditEntry) => boolean {
  const text = f.text?.trim().toLowerCase() ?? '';
  const who = f.who?.trim().toLowerCase() ?? '';
  return (e) => {
    if (f.before !== undefined && e.seq >= f.before) return false;
    if (f.action !== undefined && f.action !== '' && e.action !== f.action) return false;
    if (f.from !== undefined && e.at < f.from) return false;
    if (f.to !== undefined && e.at > f.to) return false;
    if (f.ok !== undefined && e.result.ok !== f.ok) return false;
    if (who !== '' && !e.who.toLowerCase().includes(who)) return false;
    return text === '' || haystack(e).includes(text);
  };
}

function haystack(e: AuditEntry): string {
  const result = e.result.ok ? e.result.summary : `${e.result.code} ${e.result.message}`;
  return `${e.who} ${e.action} ${e.target} ${JSON.stringify(e.params)} ${result}`.toLowerCase();
}
