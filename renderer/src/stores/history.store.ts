/**
 * The charts' time range, shared by every chart of every view, and the history the range shows
 * (loaded by HistoryRangeBar through the bridge; components only read it).
 */
import { create } from 'zustand';
import type { MetricsHistory } from '../../../shared/admin/metrics-history-model.js';
import type { Bounds, RangePreset } from './history.model.js';

interface HistoryStore {
  preset: RangePreset;
  /** The custom range, once one was applied. */
  custom: Bounds | null;
  /** A range dragged across a chart, inside the preset's. */
  zoom: Bounds | null;
  /** The loaded range (null in live mode or before the first answer). */
  data: MetricsHistory | null;
  loading: boolean;
  error: string | null;
  choose(preset: RangePreset): void;
  setCustom(b: Bounds): void;
  setZoom(b: Bounds | null): void;
  loaded(data: MetricsHistory): void;
  failed(message: string): void;
  startLoading(): void;
}

export const useHistory = create<HistoryStore>()((set) => ({
  preset: 'live',
  custom: null,
  zoom: null,
  data: null,
  loading: false,
  error: null,
  choose: (preset) => set((s) => ({ preset, zoom: null, error: null, data: preset === s.preset ? s.data : null })),
  setCustom: (custom) => set({ preset: 'custom', custom, zoom: null, data: null, error: null }),
  setZoom: (zoom) => set({ zoom }),
  loaded: (data) => set({ data, loading: false, error: null }),
  failed: (error) => set({ loading: false, error }),
  startLoading: () => set({ loading: true }),
}));
