/**
 * Fleets started elsewhere (`switchboard simulate`), from the `simulator.fleets` push (once a second
 * while any is listed, once more when none is left) and the `simulator.fleets` request the view
 * makes when it opens (external-fleets.load.ts). Read-only: each fleet is stopped in its own terminal.
 */
import { create } from 'zustand';
import type { ExternalFleet } from '../../../shared/admin/external-fleet-model.js';

interface ExternalFleetsStore {
  fleets: ExternalFleet[];
  /** When the list arrived (console clock, ms); 0 before the first. */
  receivedAt: number;
  receive(fleets: ExternalFleet[], at?: number): void;
}

export const useExternalFleets = create<ExternalFleetsStore>()((set) => ({
  fleets: [],
  receivedAt: 0,
  receive: (fleets, at = Date.now()) => set({ fleets, receivedAt: at }),
}));
