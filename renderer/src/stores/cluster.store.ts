/** The cluster as the last snapshot shows it, and the 5-minute series behind the charts. */
import { create } from 'zustand';
import type { ClusterSnapshot, TimeSeries } from '../../../shared/admin/admin-model.js';
import type { ClusterState } from './cluster.reducers.js';
import { applySeries, applySnapshot, emptySeries } from './cluster.reducers.js';

interface ClusterStore extends ClusterState {
  receiveSnapshot(s: ClusterSnapshot): void;
  receiveSeries(s: TimeSeries): void;
}

export const useCluster = create<ClusterStore>()((set) => ({
  snapshot: null,
  series: emptySeries(),
  receiveSnapshot: (s) => set((state) => applySnapshot(state, s)),
  receiveSeries: (s) => set((state) => applySeries(state, s)),
}));
