/**
 * The load simulator: the latest status of the simulated fleet, from the `simulator` push (once a
 * second while one runs, then once more with its final counts, which stay until the next run).
 */
import { create } from 'zustand';
import type { SimulatorStatus } from '../../../shared/admin/simulator-model.js';

interface SimulatorStore {
  /** Null until a fleet has run while the console was connected. */
  status: SimulatorStatus | null;
  /** The status before it when it is of the same run (per-second figures); null otherwise. */
  previous: SimulatorStatus | null;
  receive(status: SimulatorStatus): void;
}

export const useSimulator = create<SimulatorStore>()((set) => ({
  status: null,
  previous: null,
  receive: (status) => set((s) => ({ status, previous: s.status?.id === status.id ? s.status : null })),
}));
