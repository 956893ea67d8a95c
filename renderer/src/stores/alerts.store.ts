/**
 * Alerts: the firing set (the `alerts` push, and `alerts.list` on connect and while the view is
 * open), the resolved history, and the rules editor's draft. Pure rules in alerts.model.ts.
 */
import { create } from 'zustand';
import type { AlertInstance, AlertRule } from '../../../shared/admin/alerts-model.js';
import { request } from '../bridge/bridge.js';
import type { DraftProblems, RuleDraft } from './alerts.model.js';
import { defaultDraft, draftOf, parseDraft } from './alerts.model.js';
import { useSession } from './session.store.js';

const HISTORY_LIMIT = 200;

interface AlertsStore {
  firing: AlertInstance[];
  history: AlertInstance[];
  historyTotal: number;
  /** A list has arrived since the console connected. */
  loaded: boolean;
  error: string | null;
  /** The rules as the server keeps them (null until read). */
  rules: AlertRule[] | null;
  draft: RuleDraft[];
  problems: DraftProblems;
  saving: boolean;
  /** When the last save went through (the confirmation line). */
  savedAt: number | null;
  /** The `alerts` push. */
  receiveFiring(firing: AlertInstance[]): void;
  /** Asks `alerts.list` again. */
  refresh(): Promise<void>;
  loadRules(): Promise<void>;
  editRule(kind: RuleDraft['kind'], patch: Partial<Omit<RuleDraft, 'kind'>>): void;
  /** Puts the defaults in the editor (saved only with Save). */
  resetToDefaults(): void;
  /** Back to the rules as saved. */
  discard(): void;
  save(): Promise<void>;
}

export const useAlerts = create<AlertsStore>()((set, get) => ({
  firing: [],
  history: [],
  historyTotal: 0,
  loaded: false,
  error: null,
  rules: null,
  draft: defaultDraft(),
  problems: {},
  saving: false,
  savedAt: null,
  receiveFiring: (firing) => {
    set({ firing });
    // A resolved alert belongs in the history: read it while anyone may be looking.
    void get().refresh();
  },
  refresh: async () => {
    try {
      const list = await request('alerts.list', { limit: HISTORY_LIMIT });
      set({ firing: list.firing, history: list.history, historyTotal: list.historyTotal, loaded: true, error: null });
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    }
  },
  loadRules: async () => {
    try {
      const { rules } = await request('alerts.rules', {});
      set({ rules, draft: draftOf(rules), problems: {} });
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    }
  },
  editRule: (kind, patch) => {
    const draft = get().draft.map((d) => (d.kind === kind ? { ...d, ...patch } : d));
    const parsed = parseDraft(draft);
    set({ draft, problems: parsed.ok ? {} : parsed.error, savedAt: null });
  },
  resetToDefaults: () => set({ draft: defaultDraft(), problems: {}, savedAt: null }),
  discard: () => set((s) => ({ draft: draftOf(s.rules ?? []), problems: {}, savedAt: null })),
  save: async () => {
    const parsed = parseDraft(get().draft);
    if (!parsed.ok) return set({ problems: parsed.error });
    set({ saving: true });
    try {
      const { rules } = await request('alerts.set-rules', { rules: parsed.value });
      set({ rules, draft: draftOf(rules), problems: {}, savedAt: Date.now(), saving: false });
      useSession.getState().toast('ok', 'Alert rules saved');
    } catch (e) {
      set({ saving: false });
      useSession.getState().toast('error', `Alert rules not saved: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
}));
