/**
 * Fleets started elsewhere (`switchboard simulate`) as the Simulator view shows them: how old each
 * fleet's last report is on the console's own clock, and whether the cluster has lost contact with
 * it (STYLE.md §6: derived from that age, never stored). Pure functions, beside the store.
 */
import type { ExternalFleet } from '../../../shared/admin/external-fleet-model.js';
import { fleetContact, isFleetOver } from '../../../shared/admin/external-fleet-model.js';

/**
 * The age of a fleet's last report now: its age when the list was made (supervisor clock) plus the
 * time since the console got the list (console clock), so no clock difference matters — and a
 * console that stops hearing from the cluster sees every fleet age too.
 */
export function fleetAgeMs(fleet: ExternalFleet, receivedAt: number, now: number): number {
  return fleet.reportAgeMs + Math.max(0, now - receivedAt);
}

export interface FleetContactView {
  /** No report for over 5 s: grey the row, its figures are the last ones heard. */
  lost: boolean;
  /** "1 s ago", "lost contact 12 s ago", "ended · 20 s ago". */
  label: string;
}

export function fleetContactView(fleet: ExternalFleet, receivedAt: number, now: number): FleetContactView {
  const { lost, ageS } = fleetContact(fleetAgeMs(fleet, receivedAt, now));
  if (isFleetOver(fleet.status)) return { lost: false, label: `final · ${ageS} s ago` };
  return lost ? { lost, label: `lost contact ${ageS} s ago` } : { lost, label: `${ageS} s ago` };
}

/** "box · pid 4242": where the fleet runs. */
export const fleetOrigin = (fleet: ExternalFleet): string => `${fleet.host} · pid ${fleet.pid}`;
