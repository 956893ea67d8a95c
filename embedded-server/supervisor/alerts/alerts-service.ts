/**
 * Alerts on the supervisor, so they fire with no console open: every 1 Hz snapshot is evaluated
 * against the rules (alert-evaluator.ts); a change logs `alert.firing` / `alert.resolved` events
 * (Events view, chart markers) and tells the admin server (the `alerts` push). Rules and resolved
 * alerts are kept under `<dataDir>/alerts/` (alert-files.ts); without a data directory, in memory
 * with the default rules. On an engine shared with other supervisors, their nodes are judged here too:
 * what only they count (slow consumers, unrecovered resubscribes, publish errors) comes in their
 * heartbeats, and this supervisor's counts go into its own.
 */
import { join } from 'node:path';
import type { AdminEvent, ClusterSnapshot } from '../../../shared/admin/admin-model.js';
import type { AlertInstance, AlertList, AlertRule } from '../../../shared/admin/alerts-model.js';
import type { HeartbeatAlertCounts } from '../../../shared/engine/control-messages.js';
import { ALERT_HISTORY_MAX, DEFAULT_ALERT_RULES, completeRules } from '../../../shared/admin/alerts-model.js';
import type { NewEvent } from '../event-log.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { AlertFiles } from './alert-files.js';
import type { PeerCounts } from './alert-readings.js';
import { countEvents, heartbeatCounts, newEventCounts, readingsOf } from './alert-readings.js';

/** What alerts hear from the supervisor, and where their events go. */
export interface AlertSource {
  onSnapshot(listener: (s: ClusterSnapshot) => void): () => void;
  onEvents(listener: (events: AdminEvent[]) => void): () => void;
  emit(event: NewEvent): void;
  /** What the other supervisors on the engine counted, from their latest heartbeats (none on an engine of one). */
  peerCounts?: () => PeerCounts[];
}

export interface AlertsService {
  rules(): AlertRule[];
  /** Takes checked rules (checkRules); every kind is kept, missing ones at their defaults. */
  setRules(rules: readonly AlertRule[]): AlertRule[];
  /** Firing alerts, and the newest `limit` resolved ones, newest first. */
  list(limit: number): AlertList;
  /** The firing alerts, each time the set changes. Returns a dispose. */
  onChange(listener: (firing: AlertInstance[]) => void): () => void;
  /** A server API publish or broadcast did not succeed (the publish-errors rule counts these). */
  publishFailed(): void;
  /** This supervisor's counts of the last minute, for its heartbeat; null while all are 0. */
  heartbeatCounts(): HeartbeatAlertCounts | null;
  /** Resolves what still fires ("cluster stopped"), writes the files and stops listening. Idempotent. */
  stop(): Promise<void>;
}

const warnOf = (text: string): void => void process.stderr.write(`switchboard: alerts: ${text}\n`);

export async function startAlerts(source: AlertSource, dataDir: string | undefined, warn: (text: string) => void = warnOf): Promise<AlertsService> {
  const opened = dataDir === undefined ? null : await AlertFiles.open(join(dataDir, 'alerts'), warn);
  const files = opened?.files ?? null;
  let rules = opened?.read.rules ?? completeRules(DEFAULT_ALERT_RULES);
  const history: AlertInstance[] = opened?.read.history ?? [];
  const evaluator = new AlertEvaluator(rules);
  const counts = newEventCounts();
  const listeners = new Set<(firing: AlertInstance[]) => void>();

  const record = (resolved: AlertInstance[]): void => {
    history.push(...resolved);
    if (history.length > ALERT_HISTORY_MAX) history.splice(0, history.length - ALERT_HISTORY_MAX);
    files?.saveHistory(history);
  };
  const onSnapshot = (s: ClusterSnapshot): void => {
    const { fired, resolved, updated } = evaluator.evaluate(readingsOf(s, counts, s.at, source.peerCounts?.() ?? []), s.at);
    if (fired.length === 0 && resolved.length === 0 && updated.length === 0) return;
    for (const a of fired) source.emit({ type: 'alert.firing', rule: a.rule, severity: a.severity, ...nodeOf(a), value: a.value, threshold: a.threshold, text: a.text });
    for (const a of resolved) source.emit({ type: 'alert.resolved', rule: a.rule, severity: a.severity, ...nodeOf(a), value: a.value, text: a.text, firedAt: a.since });
    if (resolved.length > 0) record(resolved);
    const firing = evaluator.firingNow();
    for (const l of listeners) l(firing);
  };
  const disposers = [source.onSnapshot(onSnapshot), source.onEvents((events) => countEvents(counts, events))];
  let stopping: Promise<void> | null = null;
  return {
    rules: () => rules.map((r) => ({ ...r })),
    setRules: (next) => {
      rules = completeRules(next);
      evaluator.setRules(rules);
      files?.saveRules(rules);
      return rules.map((r) => ({ ...r }));
    },
    list: (limit) => ({ firing: evaluator.firingNow(), history: history.slice(-limit).reverse(), historyTotal: history.length }),
    onChange: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    publishFailed: () => counts.publishErrors.add('cluster', Date.now()),
    heartbeatCounts: () => heartbeatCounts(counts, Date.now()),
    stop: () => {
      stopping ??= (async () => {
        for (const dispose of disposers.splice(0)) dispose();
        const open = evaluator.resolveAll(Date.now(), 'cluster stopped');
        if (open.length > 0) record(open);
        listeners.clear();
        await files?.flush();
      })();
      return stopping;
    },
  };
}

const nodeOf = (a: AlertInstance): { node?: string } => (a.node === undefined ? {} : { node: a.node });
