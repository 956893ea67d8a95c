/** Asks for the fleets started elsewhere, for a view that opens (the push follows once a second). */
import { request } from '../bridge/bridge.js';
import { useExternalFleets } from './external-fleets.store.js';

/** The list now: a console opened mid-run shows the fleets at once, not a second later. */
export async function loadExternalFleets(): Promise<void> {
  try {
    const { fleets } = await request('simulator.fleets', {});
    useExternalFleets.getState().receive(fleets);
  } catch {
    // the next push brings it
  }
}
