/**
 * The second public entry of the embedded server, for tests and tooling outside it (the chaos
 * soak): the load simulator's fleet, hosted in the caller's process the way `switchboard simulate`
 * hosts it, so a harness can run several fleets (chat and feed together) and read their counts.
 */
export { Fleet } from './simulator/fleet.js';
export type { FleetOptions } from './simulator/fleet.js';
export type { SimTarget } from './simulator/sim-ipc.js';
export { roomSize } from './simulator/profiles.js';
