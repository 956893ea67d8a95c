/**
 * The broadcast domain: the composer's draft (kept while switching views), the last dry-run reach
 * with the audience it was for, and the past broadcasts the server keeps.
 */
import { create } from 'zustand';
import type { Audience, BroadcastRecord } from '../../../shared/admin/admin-model.js';
import type { Json } from '../../../shared/protocol/client-protocol.js';
import { call, request } from '../bridge/bridge.js';
import type { AudienceKind } from './broadcasts.model.js';
import { audienceKey, fmtReach } from './broadcasts.model.js';

export interface Reach {
  key: string;
  connections: number;
  nodes: number;
  /** Supervisors that did not answer the count: their connections are not in it. */
  unanswered: string[];
}

export interface BroadcastDraft {
  kind: AudienceKind;
  channels: string;
  users: string;
  mode: 'text' | 'json';
  text: string;
}

interface BroadcastsStore {
  draft: BroadcastDraft;
  reach: Reach | null;
  checking: boolean;
  sending: boolean;
  records: BroadcastRecord[];
  loaded: boolean;
  error: string | null;
}

export const useBroadcasts = create<BroadcastsStore>()(() => ({
  draft: { kind: 'channels', channels: '', users: '', mode: 'text', text: '' },
  reach: null,
  checking: false,
  sending: false,
  records: [],
  loaded: false,
  error: null,
}));

export function editDraft(patch: Partial<BroadcastDraft>): void {
  useBroadcasts.setState((s) => ({ draft: { ...s.draft, ...patch } }));
}

export async function loadBroadcasts(): Promise<void> {
  try {
    const { broadcasts } = await request('broadcast.list', {});
    useBroadcasts.setState({ records: broadcasts, loaded: true, error: null });
  } catch (e) {
    useBroadcasts.setState({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** A dry run: who would receive it. Null when the server refused (the toast says why). */
export async function previewReach(audience: Audience, data: Json): Promise<Reach | null> {
  useBroadcasts.setState({ checking: true });
  try {
    const r = await call('broadcast.send', { audience, data, dryRun: true });
    if (!r) return null;
    const reach = { key: audienceKey(audience), connections: r.connections, nodes: r.nodes, unanswered: r.unanswered ?? [] };
    useBroadcasts.setState({ reach });
    return reach;
  } finally {
    useBroadcasts.setState({ checking: false });
  }
}

/** Sends for real; the toast tells the real reach. */
export async function sendBroadcast(audience: Audience, data: Json): Promise<boolean> {
  useBroadcasts.setState({ sending: true });
  try {
    const r = await call('broadcast.send', { audience, data, dryRun: false }, (res) => `Broadcast sent to ${fmtReach(res)}`,
      'connections there may not have received it');
    if (r) useBroadcasts.setState({ reach: { key: audienceKey(audience), connections: r.connections, nodes: r.nodes, unanswered: r.unanswered ?? [] } });
    await loadBroadcasts();
    return r !== null;
  } finally {
    useBroadcasts.setState({ sending: false });
  }
}
