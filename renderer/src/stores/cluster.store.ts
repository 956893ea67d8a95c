/** The cluster as the last snapshot shows it, and the 5-minute series behind the charts. */
import { create } from 'zustand';
import type { ClusterSnapshot, TimeSeries } from '../../../shared/admin/admin-model.js';
import type { ClusterState } from './cluster.reducers.js';
import { applySeries, applySnapshot, emptySeries } from './cluster.reducers.js';
import { trackSilent } from './staleness.model.js';

interface ClusterStore extends ClusterState {
  /** When the last snapshot arrived (console clock, ms), 0 before the first: how old the figures are. */
  receivedAt: number;
  /** Since when (snapshot time) each hung or unhealthy node has sent no report. */
  silentSince: Record<string, number>;
  receiveSnapshot(s: ClusterSnapshot): void;
  receiveSeries(s: TimeSeries): void;
}

export const useCluster = create<ClusterStore>()((set) => ({
  snapshot: null,
  series: emptySeries(),
  receivedAt: 0,
  silentSince: {},
  receiveSnapshot: (s) => set((state) => ({
    ...applySnapshot(state, s), receivedAt: Date.now(), silentSince: trackSilent(state.silentSince, s.nodes, s.at),
  })),
  receiveSeries: (s) => set((state) => applySeries(state, s)),
}));
