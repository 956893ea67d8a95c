/** Pure rules of the Nodes view: what each node action does, when it applies, what it asks (tested without React). */
import type { DrainProgress, NodeSnapshot, Strategy } from '../../../shared/admin/admin-model.js';
import { DRAIN_RATES } from '../../../shared/admin/admin-model.js';
import { assertNever } from '../../../shared/result.js';
import { fmtInt, fmtMs } from '../format.js';

/** What each routing strategy does, in one line. */
export const STRATEGY_HINTS: Record<Strategy, string> = {
  'least-connections': 'new clients go to the node with the fewest connections',
  'round-robin': 'new clients go to each node in turn',
  sticky: 'a user always lands on the same node',
};

export const NODE_ACTIONS = ['kill', 'hang', 'partition', 'drop', 'restart', 'remove'] as const;
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** Button labels; "…" marks the ones that ask for a duration. */
export const ACTION_LABELS: Record<NodeAction, string> = {
  kill: 'Kill', hang: 'Hang…', partition: 'Partition…', drop: 'Drop', restart: 'Restart', remove: 'Drain…',
};

/** What each button does, as its accessible name and tooltip ("Kill node-2", "Drop sockets of node-2"). */
export function actionName(action: NodeAction, node: string): string {
  switch (action) {
    case 'drop': return `Drop sockets of ${node}`;
    case 'remove': return `Drain and remove ${node}`;
    default: return `${ACTION_LABELS[action].replace('…', '')} ${node}`;
  }
}

export const takesSeconds = (action: NodeAction): action is 'hang' | 'partition' => action === 'hang' || action === 'partition';

export const DEFAULT_FAULT_SECONDS = 5;
export const MAX_FAULT_SECONDS = 3600;

/** The duration typed into the dialog, or null when it is not a whole number of seconds in range. */
export function parseSeconds(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_FAULT_SECONDS ? n : null;
}

/** The drain rate typed into the dialog (clients/s), or null when it is not a whole number in range. */
export function parseRate(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= DRAIN_RATES.min && n <= DRAIN_RATES.max ? n : null;
}

/** How far a drain got, 0–100. */
export function drainPercent(d: DrainProgress): number {
  return d.total === 0 ? 100 : Math.min(100, Math.round((d.moved / d.total) * 100));
}

/** "moved 12 of 40 · 10/s · about 3 s left" under a node's progress bar. */
export function drainText(d: DrainProgress): string {
  const leftSeconds = Math.ceil(Math.max(0, d.total - d.moved) / d.rate);
  const what = d.purpose === 'remove' ? 'draining' : 'rebalancing';
  return `${what}: ${fmtInt(d.moved)} of ${fmtInt(d.total)} moved · ${fmtInt(d.rate)}/s${leftSeconds > 0 ? ` · about ${leftSeconds} s left` : ''}`;
}

/** An event-loop delay: milliseconds, or seconds once it is that bad (a hung node reports 5 s and more). */
export function fmtDelay(ms: number): string {
  return ms < 1000 ? fmtMs(ms) : `${(ms / 1000).toFixed(1)} s`;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes for a narrow column: one decimal below 10 of a unit, none from there ("7.9 MB", "75 MB", "1,023 KB"). */
export function fmtBytesTight(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i > 0 && v < 9.95 ? 1 : 0;
  return `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${BYTE_UNITS[i]}`;
}

/** Seconds until an injected fault heals, as of the snapshot's time (0 once due). */
export function faultSecondsLeft(fault: NonNullable<NodeSnapshot['fault']>, at: number): number {
  return Math.max(0, Math.ceil((fault.until - at) / 1000));
}

const isUp = (n: NodeSnapshot): boolean => n.state !== 'down' && n.state !== 'restarting';

/** Why the action cannot apply to the node now (the button is disabled with this as its hint), or null. */
export function unavailableReason(action: NodeAction, n: NodeSnapshot, nodeCount: number): string | null {
  switch (action) {
    case 'kill':
      return isUp(n) ? null : `${n.id} is ${n.state}`;
    case 'drop':
      // A frozen process cannot close its sockets; the request would only time out.
      return isUp(n) && n.state !== 'hung' ? null : `${n.id} is ${n.state}`;
    case 'hang':
    case 'partition':
      if (!isUp(n)) return `${n.id} is ${n.state}`;
      return n.fault ? `${n.id} already has a ${n.fault.kind} in progress` : null;
    case 'restart':
      return n.state === 'restarting' ? `${n.id} is restarting` : null;
    case 'remove':
      if (n.drain) return `${n.id} is already ${n.drain.purpose === 'remove' ? 'draining' : 'rebalancing'}`;
      return nodeCount <= 1 ? 'the last node cannot be removed' : null;
    default:
      return assertNever(action);
  }
}

/** What the confirmation dialog says. */
export interface ActionPlan {
  title: string;
  /** What happens to the node and its clients. */
  consequence: string;
  confirmLabel: string;
}

/** `seconds` is the duration typed so far for hang and partition; null while it is not a valid one. */
export function actionPlan(action: NodeAction, n: NodeSnapshot, autoRestart: boolean, seconds: number | null = DEFAULT_FAULT_SECONDS): ActionPlan {
  const span = seconds === null ? 'the time you choose' : `${seconds} s`;
  const clients = n.connections === 1 ? '1 client' : `${fmtInt(n.connections)} clients`;
  const label = actionName(action, n.id);
  switch (action) {
    case 'kill':
      return {
        title: `Kill ${n.id}?`,
        consequence: `The process gets SIGKILL. Its ${clients} lose their connection and reconnect to the other nodes, then recover their streams. `
          + (autoRestart ? 'Auto-restart brings the node back.' : 'Auto-restart is off: the node stays down until you restart it.'),
        confirmLabel: label,
      };
    case 'hang':
      return {
        title: `Hang ${n.id}?`,
        consequence: `The process is frozen (SIGSTOP) for ${span}, then resumes. Its ${clients} get nothing meanwhile; `
          + 'those whose pings time out reconnect elsewhere, the others catch up when it resumes.',
        confirmLabel: label,
      };
    case 'partition':
      return {
        title: `Partition ${n.id}?`,
        consequence: `The node is cut off from the broker for ${span}. Its ${clients} stay connected but miss publications from other nodes; `
          + 'when it heals they recover what they missed from history.',
        confirmLabel: label,
      };
    case 'drop':
      return {
        title: `Drop the sockets of ${n.id}?`,
        consequence: `Every client socket of the node is destroyed without a close frame. Its ${clients} notice, reconnect and recover.`,
        confirmLabel: 'Drop sockets',
      };
    case 'restart':
      return {
        title: `Restart ${n.id}?`,
        consequence: `The process is stopped and started again. Its ${clients} are disconnected and reconnect to the other nodes meanwhile.`,
        confirmLabel: label,
      };
    case 'remove':
      return {
        title: `Drain and remove ${n.id}?`,
        consequence: `The node takes no new connections; its ${clients} are told to reconnect elsewhere (close 3001), a batch at a time at the rate below, `
          + 'and recover their streams there. Then the process ends and the node leaves the cluster.',
        confirmLabel: label,
      };
    default:
      return assertNever(action);
  }
}

/** The toast after the server accepted the action. */
export function doneText(action: NodeAction, node: string, seconds: number, result?: { dropped?: number; drained?: number; moving?: number }): string {
  switch (action) {
    case 'kill': return `${node} killed`;
    case 'hang': return `${node} hangs for ${seconds} s`;
    case 'partition': return `${node} partitioned for ${seconds} s`;
    case 'drop': return `${fmtInt(result?.dropped ?? 0)} sockets of ${node} dropped`;
    case 'restart': return `${node} restarted`;
    case 'remove': return result?.moving === undefined
      ? `${node} removed (${fmtInt(result?.drained ?? 0)} connections drained)`
      : `${node} draining: ${fmtInt(result.moving)} connections to move`;
    default: return assertNever(action);
  }
}
