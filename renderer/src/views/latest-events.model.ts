/**
 * The Overview's "Latest events": node, fault, admin and cluster events always shown, and the
 * client churn between them (connects, subscribes…) folded into one counted line per gap, unless
 * the operator asks to see client events too. Pure, tested without React.
 */
import type { AdminEvent } from '../../../shared/admin/admin-model.js';
import { isClientNoise } from '../stores/events.reducers.js';

/** One line of the card: an event, or the client events between two notable ones, counted by type. */
export type LatestRow =
  | { kind: 'event'; event: AdminEvent }
  | { kind: 'clients'; key: string; count: number; byType: { type: string; count: number }[] };

/**
 * Newest first. With `showClients`, simply the newest `count` events of all. Without, the newest
 * `count` notable events (from their own ring, so client churn never pushes them out), each gap
 * between them holding a line that counts the client events in it (those the console still holds).
 */
export function latestRows(all: readonly AdminEvent[], notable: readonly AdminEvent[], count: number, showClients: boolean): LatestRow[] {
  if (showClients) return all.slice(-count).reverse().map((event) => ({ kind: 'event', event }));
  const shown = notable.slice(-count).reverse();
  // gaps[i] holds the client events newer than shown[i] (and older than shown[i - 1]); the last one, older than all shown.
  const gaps = Array.from({ length: shown.length + 1 }, () => new Map<string, number>());
  let gap = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const e = all[i]!;
    while (gap < shown.length && e.seq < shown[gap]!.seq) gap++;
    if (isClientNoise(e)) gaps[gap]!.set(e.type, (gaps[gap]!.get(e.type) ?? 0) + 1);
  }
  const rows: LatestRow[] = [];
  // Client events older than every line shown are only worth a line while the list is not full.
  const lastGap = shown.length < count ? shown.length : shown.length - 1;
  for (let i = 0; i <= lastGap; i++) {
    const group = clientsRow(gaps[i]!, i === 0 ? 'newest' : `before-${shown[i - 1]!.seq}`);
    if (group) rows.push(group);
    if (i < shown.length) rows.push({ kind: 'event', event: shown[i]! });
  }
  return rows;
}

function clientsRow(types: Map<string, number>, key: string): LatestRow | null {
  if (types.size === 0) return null;
  const byType = [...types].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return { kind: 'clients', key, count: byType.reduce((n, t) => n + t.count, 0), byType };
}

/** `client.subscribed` → "subscribed", `subscription.recovered` → "recovered". */
export const clientTypeWord = (type: string): string => type.slice(type.indexOf('.') + 1);
