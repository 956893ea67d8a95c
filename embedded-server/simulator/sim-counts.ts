/** The fleet's counts: every bot process's report summed, plus what the coordinator counted itself. */
import type { LatencySummary, SimulatorCounts } from '../../shared/admin/simulator-model.js';
import type { BotReport, BotTallies } from './sim-ipc.js';
import { zeroTallies } from './sim-ipc.js';

export function sumCounts(
  reports: readonly (BotReport | null)[], own: BotTallies, latency: LatencySummary, latencyRecent: LatencySummary,
): SimulatorCounts {
  const tallies = zeroTallies();
  const keys = Object.keys(tallies) as (keyof BotTallies)[];
  let connected = 0;
  let subscribed = 0;
  for (const source of [...reports.map((r) => r?.tallies), own]) {
    if (source === undefined) continue;
    for (const k of keys) tallies[k] += source[k];
  }
  for (const r of reports) {
    connected += r?.connected ?? 0;
    subscribed += r?.subscribed ?? 0;
  }
  return { connected, subscribed, ...tallies, latency, latencyRecent };
}

