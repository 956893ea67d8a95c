/**
 * The simulator's controls: the start form's draft (kept while switching views), the start and
 * stop in flight, and why the last start was refused. The fleet's status itself is in
 * simulator.store.ts, written by the bridge from the `simulator` push.
 */
import { create } from 'zustand';
import { AdminErrors } from '../../../shared/admin/admin-api.js';
import type { SimulatorParams } from '../../../shared/admin/simulator-model.js';
import { AdminCallError } from '../bridge/admin-link.js';
import { call, request } from '../bridge/bridge.js';
import type { SimDraft } from './simulator.model.js';
import { DEFAULT_DRAFT, describeParams, describeRefusal } from './simulator.model.js';
import { useSession } from './session.store.js';
import { useSimulator } from './simulator.store.js';

interface SimulatorFormStore {
  draft: SimDraft;
  starting: boolean;
  stopping: boolean;
  /** Why the last start was refused (shown by the form until the next try or edit). */
  refusal: string | null;
}

export const useSimulatorForm = create<SimulatorFormStore>()(() => ({
  draft: DEFAULT_DRAFT,
  starting: false,
  stopping: false,
  refusal: null,
}));

export function editSimDraft(patch: Partial<SimDraft>): void {
  useSimulatorForm.setState((s) => ({ draft: { ...s.draft, ...patch }, refusal: null }));
}

/** The running fleet's status, if one runs (a console opened mid-run shows it at once, not a second later). */
export async function loadSimulatorStatus(): Promise<void> {
  try {
    const status = await request('simulator.status', {});
    if (status) useSimulator.getState().receive(status);
  } catch {
    // the next push brings it
  }
}

/** Starts a fleet; a refusal is kept for the form to show beside its button, with the server's code. */
export async function startFleet(params: SimulatorParams): Promise<boolean> {
  useSimulatorForm.setState({ starting: true, refusal: null });
  try {
    const { id } = await request('simulator.start', params);
    useSession.getState().toast('ok', `Fleet ${id} started: ${describeParams(params)}`);
    await loadSimulatorStatus();
    return true;
  } catch (e) {
    const code = e instanceof AdminCallError ? e.code : 0;
    useSimulatorForm.setState({ refusal: describeRefusal(code, e instanceof Error ? e.message : String(e)) });
    // A conflict means a fleet runs that this console has not heard of yet: show it now.
    if (code === AdminErrors.conflict) void loadSimulatorStatus();
    return false;
  } finally {
    useSimulatorForm.setState({ starting: false });
  }
}

/** Stops the fleet; resolves once its processes are gone (the final counts arrive just before). */
export async function stopFleet(): Promise<void> {
  useSimulatorForm.setState({ stopping: true });
  try {
    await call('simulator.stop', {}, () => 'Fleet stopped: the final counts stay below');
  } finally {
    useSimulatorForm.setState({ stopping: false });
  }
}
