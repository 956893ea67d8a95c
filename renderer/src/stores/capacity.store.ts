/**
 * The Capacity view's state: the latest `capacity.estimate` and the what-if parameters it was asked
 * with (nodes per machine: null = the nodes running now). The view refreshes it while open.
 */
import { create } from 'zustand';
import type { CapacityEstimate } from '../../../shared/admin/capacity-model.js';
import { request } from '../bridge/bridge.js';

interface CapacityStore {
  estimate: CapacityEstimate | null;
  error: string | null;
  /** Nodes per machine for the what-if table; null: as many as run now. */
  nodesPerMachine: number | null;
  machines: number;
  setWhatIf(patch: { nodesPerMachine?: number | null; machines?: number }): void;
  refresh(): Promise<void>;
}

let asked = 0;

export const useCapacity = create<CapacityStore>()((set, get) => ({
  estimate: null,
  error: null,
  nodesPerMachine: null,
  machines: 1,
  setWhatIf: (patch) => {
    set(patch);
    void get().refresh();
  },
  refresh: async () => {
    const id = ++asked;
    const { nodesPerMachine, machines } = get();
    try {
      const estimate = await request('capacity.estimate', nodesPerMachine === null ? { machines } : { nodesPerMachine, machines });
      if (id === asked) set({ estimate, error: null });
    } catch (e) {
      if (id === asked) set({ error: e instanceof Error ? e.message : String(e) });
    }
  },
}));
