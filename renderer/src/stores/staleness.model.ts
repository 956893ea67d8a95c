/**
 * How old what the console shows is. With the admin link down, or no snapshot for more than
 * `STALE_AFTER_MS`, every figure is the last one seen: views grey them and say how old they are,
 * and every action that talks to the cluster is disabled. A hung or unhealthy node sends no
 * reports: its rates are unknown, not its last values. Pure functions, beside `useStaleness`.
 */
import type { NodeSnapshot, NodeState } from '../../../shared/admin/admin-model.js';
import type { LinkState } from '../bridge/admin-link.js';

/** A snapshot older than this (the cluster sends one a second) is shown as stale even while connected. */
export const STALE_AFTER_MS = 2000;

export interface Staleness {
  /** The figures are not current: grey them. */
  stale: boolean;
  /** `disconnected`: the admin link is down; `old`: connected, but no snapshot for a while. */
  reason: 'disconnected' | 'old' | null;
  /** Whole seconds since the last snapshot arrived; null before the first. */
  ageS: number | null;
  /** Why actions are disabled (their tooltip), or null when they may reach the cluster. */
  blocked: string | null;
  /** What the view says about its figures when stale, or null (also before the first snapshot). */
  label: string | null;
}

/** Links that are not (yet) connected: token problems have a screen of their own but block actions too. */
const isConnected = (link: LinkState): boolean => link === 'connected';

/** `receivedAt`: when the last snapshot arrived (console clock, ms), 0 before the first. */
export function stalenessOf(link: LinkState, receivedAt: number, now: number): Staleness {
  const ageMs = receivedAt > 0 ? Math.max(0, now - receivedAt) : null;
  const ageS = ageMs === null ? null : Math.floor(ageMs / 1000);
  if (!isConnected(link)) {
    return {
      stale: true, reason: 'disconnected', ageS,
      blocked: 'The console is disconnected from the cluster',
      // Before the first snapshot there is nothing to date (the views say they are waiting for it).
      label: ageS === null ? null : `Disconnected · last seen ${ageS} s ago`,
    };
  }
  if (ageMs !== null && ageMs > STALE_AFTER_MS) {
    return {
      stale: true, reason: 'old', ageS,
      blocked: `No snapshot from the cluster for over ${STALE_AFTER_MS / 1000} s: the console may be out of date`,
      label: `No update · last seen ${ageS} s ago`,
    };
  }
  return { stale: false, reason: null, ageS, blocked: null, label: null };
}

/** A title for an action button: `blocked` when actions are off, else its own title. */
export function actionTitle(blocked: string | null, own?: string): string | undefined {
  return blocked ?? own;
}

/** States in which a node sends no reports: its last rates are frozen, not current. */
export const SILENT_STATES: readonly NodeState[] = ['hung', 'unhealthy'];

export const isSilent = (state: NodeState): boolean => SILENT_STATES.includes(state);

/**
 * Since when (snapshot time) each node has been silent: kept from `prev` while it stays silent, the
 * snapshot's `at` when it turns silent, dropped once it reports again (or is gone). Returns `prev`
 * itself when nothing changed, so selectors do not re-render.
 */
export function trackSilent(prev: Readonly<Record<string, number>>, nodes: readonly NodeSnapshot[], at: number): Record<string, number> {
  const next: Record<string, number> = {};
  let changed = false;
  for (const n of nodes) {
    if (!isSilent(n.state)) continue;
    next[n.id] = prev[n.id] ?? at;
    if (prev[n.id] === undefined) changed = true;
  }
  if (!changed && Object.keys(prev).length === Object.keys(next).length) return prev as Record<string, number>;
  return next;
}

/** "no report for N s" for a node silent since `since`, as of snapshot time `at`. */
export function silentTitle(since: number | undefined, at: number): string {
  const s = since === undefined ? 0 : Math.max(0, Math.floor((at - since) / 1000));
  return `no report for ${s} s`;
}
