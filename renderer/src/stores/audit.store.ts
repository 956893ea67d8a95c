/**
 * The Audit view: the filter, the loaded entries (newest first) and the exports. State changes are
 * the pure reducers of the sibling file; the actions ask `audit.query` through the bridge.
 */
import { create } from 'zustand';
import type { AuditEntry } from '../../../shared/admin/audit-model.js';
import { request } from '../bridge/bridge.js';
import { countOf, downloadText } from '../views/events/download.js';
import type { AuditExportKind } from '../views/audit/audit-export.js';
import { auditCsv, auditFileName, auditNdjson } from '../views/audit/audit-export.js';
import type { AuditState, AuditViewFilter } from './audit.reducers.js';
import { AUDIT_PAGE, auditFailed, auditQuery, auditReceived, auditRequested, initialAudit, setAuditFilter } from './audit.reducers.js';
import { useSession } from './session.store.js';

/** Most entries an export gathers (the log holds about 20,000 at its default size). */
const EXPORT_MAX = 100_000;
const EXPORT_STEP = 1000;

interface AuditStore extends AuditState {
  setFilter(patch: Partial<AuditViewFilter>): void;
  /** Asks again for the newest page (the periodic refresh, and on opening the view). */
  refresh(): void;
  /** The page older than the oldest loaded entry. */
  loadMore(): void;
  /** Every entry matching the filter, downloaded as NDJSON or CSV, with a toast naming the file and count. */
  exportAll(kind: AuditExportKind): Promise<void>;
}

let nextId = 0;

export const useAudit = create<AuditStore>()((set, get) => ({
  ...initialAudit(),
  setFilter: (patch) => {
    set((s) => setAuditFilter(s, patch));
    get().refresh();
  },
  refresh: () => void fetchPage(false),
  loadMore: () => void fetchPage(true),
  exportAll: async (kind) => {
    const { toast } = useSession.getState();
    try {
      const entries = await everyEntry(get().filter);
      if (entries.length === 0) return toast('warn', 'Nothing to export: no audit entries match the filter');
      const name = auditFileName(kind, new Date());
      downloadText(name, kind === 'csv' ? auditCsv(entries) : auditNdjson(entries), kind === 'csv' ? 'text/csv' : 'application/x-ndjson',
        countOf(entries.length, 'audit entry', 'audit entries'));
    } catch (e) {
      toast('error', `Export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
}));

async function fetchPage(append: boolean): Promise<void> {
  const s = useAudit.getState();
  const before = append ? s.entries.at(-1)?.seq : undefined;
  if (append && before === undefined) return;
  const id = ++nextId;
  useAudit.setState((st) => auditRequested(st, id));
  try {
    const page = await request('audit.query', auditQuery(s.filter, AUDIT_PAGE, before));
    useAudit.setState((st) => auditReceived(st, id, page, append));
  } catch (e) {
    useAudit.setState((st) => auditFailed(st, id, e instanceof Error ? e.message : String(e)));
  }
}

/** Pages back through the log with `before` until every matching entry (up to EXPORT_MAX) is in. */
async function everyEntry(filter: AuditViewFilter): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let before: number | undefined;
  while (out.length < EXPORT_MAX) {
    const page = await request('audit.query', auditQuery(filter, EXPORT_STEP, before));
    out.push(...page.entries);
    if (page.entries.length < EXPORT_STEP) break;
    before = page.entries.at(-1)!.seq;
  }
  return out;
}
