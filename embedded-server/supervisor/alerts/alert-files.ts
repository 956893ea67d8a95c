/**
 * Where alerts outlive the cluster: the rules in `<dir>/rules.json` and the resolved alerts in
 * `<dir>/history.ndjson` (the newest ALERT_HISTORY_MAX). Both are rewritten whole — a temporary file
 * renamed over the old one, so a crash leaves the old or the new file, never half of one — through
 * one queue in the background. A file that cannot be read gives a warning and the defaults (or an
 * empty history), never a failed start; a disk that fails costs a warning, never the alert.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AlertInstance, AlertRule } from '../../../shared/admin/alerts-model.js';
import { ALERT_HISTORY_MAX, ALERT_KINDS, ALERT_SEVERITIES, DEFAULT_ALERT_RULES, checkRules, completeRules } from '../../../shared/admin/alerts-model.js';

export const RULES_FILE = 'rules.json';
export const HISTORY_FILE = 'history.ndjson';

const ruleSchema = z.object({
  kind: z.string(), enabled: z.boolean(), threshold: z.number(), forSeconds: z.number(), severity: z.enum(ALERT_SEVERITIES),
});
const rulesFileSchema = z.object({ version: z.literal(1), rules: z.array(ruleSchema) });
const instanceSchema = z.object({
  id: z.string(), rule: z.enum(ALERT_KINDS), severity: z.enum(ALERT_SEVERITIES), node: z.string().optional(),
  state: z.enum(['firing', 'resolved']), since: z.number(), resolvedAt: z.number().optional(),
  value: z.number(), threshold: z.number(), text: z.string(),
});

export interface AlertFilesRead {
  rules: AlertRule[];
  /** Resolved alerts, oldest first. */
  history: AlertInstance[];
}

export class AlertFiles {
  private writing: Promise<void> = Promise.resolve();
  private readonly pending = new Map<string, () => string>();

  private constructor(private readonly dir: string, private readonly warn: (text: string) => void) {}

  /** Reads both files back (missing files: defaults and no history). */
  static async open(dir: string, warn: (text: string) => void): Promise<{ files: AlertFiles; read: AlertFilesRead }> {
    const files = new AlertFiles(dir, warn);
    return { files, read: { rules: await files.readRules(), history: await files.readHistory() } };
  }

  saveRules(rules: readonly AlertRule[]): void {
    const text = `${JSON.stringify({ version: 1, rules }, null, 2)}\n`;
    this.enqueue(RULES_FILE, () => text);
  }

  /** Rewrites the history with the newest ALERT_HISTORY_MAX resolved alerts of `history` as it is when the write runs. */
  saveHistory(history: readonly AlertInstance[]): void {
    this.enqueue(HISTORY_FILE, () => history.slice(-ALERT_HISTORY_MAX).map((a) => `${JSON.stringify(a)}\n`).join(''));
  }

  /** Resolves once every write asked for so far is on disk (or has failed with a warning). */
  flush(): Promise<void> {
    return this.writing;
  }

  /** Queues a rewrite; while one for the same file waits, only the newest text is written. */
  private enqueue(name: string, text: () => string): void {
    const waiting = this.pending.has(name);
    this.pending.set(name, text);
    if (waiting) return;
    const path = join(this.dir, name);
    const tmp = `${path}.${process.pid}.tmp`;
    this.writing = this.writing.then(async () => {
      const latest = this.pending.get(name)?.() ?? '';
      this.pending.delete(name);
      try {
        await mkdir(this.dir, { recursive: true });
        await writeFile(tmp, latest);
        await rename(tmp, path);
      } catch (e) {
        this.warn(`writing ${path} failed: ${(e as Error).message}`);
      }
    });
  }

  private async readRules(): Promise<AlertRule[]> {
    const path = join(this.dir, RULES_FILE);
    const text = await readOrNull(path, this.warn);
    if (text === null) return completeRules(DEFAULT_ALERT_RULES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return this.defaults(path, `not JSON (${(e as Error).message})`);
    }
    const file = rulesFileSchema.safeParse(parsed);
    if (!file.success) return this.defaults(path, `not a rules file (${file.error.issues[0]?.path.join('.') || 'top'}: ${file.error.issues[0]?.message ?? 'invalid'})`);
    const checked = checkRules(file.data.rules);
    if (!checked.ok) return this.defaults(path, checked.error);
    return completeRules(checked.value);
  }

  private defaults(path: string, why: string): AlertRule[] {
    this.warn(`${path} is ${why}: using the default alert rules until they are saved again`);
    return completeRules(DEFAULT_ALERT_RULES);
  }

  private async readHistory(): Promise<AlertInstance[]> {
    const path = join(this.dir, HISTORY_FILE);
    const text = await readOrNull(path, this.warn);
    if (text === null) return [];
    const out: AlertInstance[] = [];
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const a = parseLine(line);
      if (a) out.push(a);
      else skipped++;
    }
    if (skipped > 0) this.warn(`${path}: ${skipped} unreadable line${skipped === 1 ? '' : 's'} skipped`);
    return out.slice(-ALERT_HISTORY_MAX);
  }
}

function parseLine(line: string): AlertInstance | null {
  try {
    const a = instanceSchema.safeParse(JSON.parse(line));
    return a.success ? (a.data as AlertInstance) : null;
  } catch {
    return null;
  }
}

/** The file's text; null when it is missing or cannot be read (that one with a warning). */
async function readOrNull(path: string, warn: (text: string) => void): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`${path} cannot be read (${(e as Error).message}): left as it is`);
    return null;
  }
}
