/**
 * Several supervisors on one engine (issue 10 §3), shaped for the console: the Nodes view's groups,
 * heartbeat ages, the engine tile's figures and the "did not answer" warnings. Pure, tested without
 * React. Every age is measured against the snapshot's own clock (`at`), never the browser's, so a
 * skewed machine clock cannot make a heartbeat look stale or fresh.
 */
import type { ClusterSnapshot, EngineLink, EngineStatus, NodeSnapshot, SupervisorView } from '../../../shared/admin/admin-model.js';
import { sortedNodeIds } from '../components/series.rows.js';
import { fmtInt, fmtMs } from '../format.js';

/** A heartbeat older than this is flagged: the supervisor beats every second and leaves after 3 s of silence. */
export const HEARTBEAT_WARN_MS = 2000;

/** One supervisor's part of the Nodes table. */
export interface SupervisorGroup {
  id: string;
  /** What its heartbeats say; absent for nodes whose supervisor is not (or no longer) in the snapshot's list. */
  view?: SupervisorView;
  self: boolean;
  /** Its nodes, in id order. */
  nodes: NodeSnapshot[];
}

/** The supervisor a node belongs to: its own field, else the prefix of a `<supervisor>/node-N` id, else this one. */
export function supervisorOfNode(n: Pick<NodeSnapshot, 'id' | 'supervisor'>, selfId: string): string {
  return n.supervisor || (splitNodeId(n.id).supervisor ?? selfId);
}

/** A node id split for display: `sb-a/node-1` → supervisor `sb-a`, node `node-1`; a local id has no supervisor part. */
export function splitNodeId(id: string): { supervisor: string | null; node: string } {
  const slash = id.lastIndexOf('/');
  return slash > 0 ? { supervisor: id.slice(0, slash), node: id.slice(slash + 1) } : { supervisor: null, node: id };
}

/** This supervisor's id: the self entry of the list, else the engine's, else '' (a server that predates both). */
export function selfSupervisorId(s: Pick<ClusterSnapshot, 'engine' | 'supervisors'>): string {
  return s.supervisors?.find((v) => v.self)?.id ?? s.engine?.supervisor ?? '';
}

/** Whether the snapshot shows more than one supervisor (and so the views group and name them). */
export const multiSupervisor = (s: Pick<ClusterSnapshot, 'supervisors'> | null | undefined): boolean => (s?.supervisors?.length ?? 0) > 1;

/**
 * The Nodes table's groups: null while there is only one supervisor (the table stays flat, as
 * before). Otherwise one group per supervisor — this one first, the others by id — each with its
 * nodes; a supervisor with no node still gets its group, so it does not vanish from view.
 */
export function supervisorGroups(s: Pick<ClusterSnapshot, 'nodes' | 'engine' | 'supervisors'>): SupervisorGroup[] | null {
  if (!multiSupervisor(s)) return null;
  const selfId = selfSupervisorId(s);
  const groups = new Map<string, SupervisorGroup>();
  for (const v of s.supervisors ?? []) groups.set(v.id, { id: v.id, view: v, self: v.self, nodes: [] });
  for (const n of s.nodes) {
    const id = supervisorOfNode(n, selfId);
    let g = groups.get(id);
    if (!g) {
      g = { id, self: id === selfId, nodes: [] };
      groups.set(id, g);
    }
    g.nodes.push(n);
  }
  const ordered = [...groups.values()].sort((a, b) => (a.self === b.self ? a.id.localeCompare(b.id, 'en', { numeric: true }) : a.self ? -1 : 1));
  for (const g of ordered) {
    const order = sortedNodeIds(g.nodes.map((n) => n.id));
    g.nodes.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  }
  return ordered;
}

/** Milliseconds from `heardAt` to the snapshot's time (never below 0); null when nothing was heard yet (0). */
export function ageMs(heardAt: number, at: number): number | null {
  return heardAt > 0 ? Math.max(0, at - heardAt) : null;
}

/** "0.4 s ago", "12 s ago", "3m 5s ago"; "not heard yet" for null. */
export function fmtAge(ms: number | null): string {
  if (ms === null) return 'not heard yet';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s ago`;
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s ago` : `${Math.floor(s / 60)}m ${s % 60}s ago`;
}

/** A heartbeat that needs a look: none heard yet, or older than {@link HEARTBEAT_WARN_MS}. */
export const heartbeatLate = (ms: number | null): boolean => ms === null || ms > HEARTBEAT_WARN_MS;

/** The heading line of one supervisor's group. */
export interface GroupHeading {
  id: string;
  self: boolean;
  /** "heartbeat 0.4 s ago". */
  heartbeat: string;
  heartbeatLate: boolean;
  /** Its engine link as it reports it; null when it does not say. */
  link: EngineLink | null;
  /** "2 nodes · 14 connections · 3.5 publications/s · 1 standby". */
  counts: string;
}

export function groupHeading(g: SupervisorGroup, at: number): GroupHeading {
  const age = g.view ? ageMs(g.view.heardAt, at) : null;
  const nodes = g.view?.nodes ?? g.nodes.length;
  const connections = g.view?.connections ?? g.nodes.reduce((a, n) => a + n.connections, 0);
  const parts = [`${fmtInt(nodes)} ${nodes === 1 ? 'node' : 'nodes'}`, `${fmtInt(connections)} ${connections === 1 ? 'connection' : 'connections'}`];
  if (g.view) parts.push(`${fmtRate1(g.view.publicationsPerSec)} publications/s`);
  // A standby is not a node (never routed to, no connections): counted apart, never as an empty node.
  if (g.view?.standbyNodes) parts.push(`${fmtInt(g.view.standbyNodes)} standby`);
  return {
    id: g.id,
    self: g.self,
    heartbeat: g.view ? `heartbeat ${fmtAge(age)}` : 'no heartbeat',
    heartbeatLate: heartbeatLate(age),
    link: g.view?.engine.link ?? null,
    counts: parts.join(' · '),
  };
}

const fmtRate1 = (n: number): string => (n < 10 ? n.toFixed(1) : fmtInt(n));

/** One figure of the engine tile: "—" where the engine does not report it. */
export interface EngineFigure {
  key: 'kind' | 'address' | 'link' | 'rtt' | 'reconnects' | 'heard';
  label: string;
  value: string;
  /** The figure needs a look (link not connected, own heartbeat late). */
  warn: boolean;
  hint: string;
}

const DASH = '—';

/**
 * The engine tile: what this supervisor's engine reports, each figure as reported or "—". The
 * in-process engine has no server: its link is connected by definition and left out, like the
 * link figures it does not report, rather than shown as missing.
 */
export function engineFigures(e: EngineStatus, at: number): EngineFigure[] {
  const heard = ageMs(e.controlHeardAt, at);
  const figures: EngineFigure[] = [
    { key: 'kind', label: 'Kind', value: e.kind === 'redis' ? 'Redis' : 'In-process memory', warn: false,
      hint: e.kind === 'redis' ? 'Streams, presence and the control bus live in Redis, shared by every supervisor on it' : 'Streams and presence live in this supervisor\'s memory' },
    { key: 'address', label: 'Address', value: e.address ?? DASH, warn: false, hint: 'Where the engine\'s server is' },
    { key: 'link', label: 'Link', value: e.link ?? DASH, warn: e.link !== undefined && e.link !== 'connected', hint: 'The command connection to the engine' },
    { key: 'rtt', label: 'Round trip', value: e.rttMs === undefined || e.rttMs === null ? DASH : fmtMs(e.rttMs), warn: false,
      hint: 'Round-trip time of the last PING answered' },
    { key: 'reconnects', label: 'Reconnects', value: e.reconnects === undefined ? DASH : fmtInt(e.reconnects), warn: false,
      hint: 'Times a connection to the engine was re-established since start' },
    { key: 'heard', label: 'Own heartbeat', value: fmtAge(heard), warn: heartbeatLate(heard),
      hint: 'When this supervisor last heard its own heartbeat on the control bus: proof that its subscription delivers' },
  ];
  if (e.kind === 'redis') return figures;
  const shown: Record<EngineFigure['key'], boolean> = {
    kind: true, address: e.address !== undefined, link: false, rtt: e.rttMs !== undefined, reconnects: e.reconnects !== undefined, heard: true,
  };
  return figures.filter((f) => shown[f.key]);
}

/** Node ids under their supervisors for a picker: this supervisor's first, then the others by id; nodes in id order. */
export function nodeIdsBySupervisor(ids: readonly string[], selfId: string): { supervisor: string; self: boolean; ids: string[] }[] {
  const by = new Map<string, string[]>();
  for (const id of sortedNodeIds(ids)) {
    const sup = splitNodeId(id).supervisor ?? selfId;
    by.set(sup, [...(by.get(sup) ?? []), id]);
  }
  return [...by.entries()]
    .map(([supervisor, list]) => ({ supervisor, self: supervisor === selfId, ids: list }))
    .sort((a, b) => (a.self === b.self ? a.supervisor.localeCompare(b.supervisor, 'en', { numeric: true }) : a.self ? -1 : 1));
}
