/**
 * The broadcast domain: the composer's draft (kept while switching views, cleared by a send), the
 * last dry-run reach with the audience it was for, what the last send did, and the past broadcasts
 * the server keeps.
 */
import { create } from 'zustand';
import type { AdminResults } from '../../../shared/admin/admin-api.js';
import type { Audience, BroadcastRecord } from '../../../shared/admin/admin-model.js';
import type { Json } from '../../../shared/protocol/client-protocol.js';
import { call, request } from '../bridge/bridge.js';
import type { BroadcastDraft, SentSummary } from './broadcasts.model.js';
import { audienceKey, clearedDraft, describeSent } from './broadcasts.model.js';

export type { BroadcastDraft } from './broadcasts.model.js';

export interface Reach {
  key: string;
  connections: number;
  nodes: number;
  /** Supervisors that did not answer the count: their connections are not in it. */
  unanswered: string[];
  /** Users audience: each user's connections, and the ids with none anywhere. */
  perUser: { user: string; connections: number }[];
  notConnected: string[];
}

interface BroadcastsStore {
  draft: BroadcastDraft;
  reach: Reach | null;
  checking: boolean;
  sending: boolean;
  /** The last send, confirmed under the composer until the next one (or dismissed). */
  sent: SentSummary | null;
  records: BroadcastRecord[];
  loaded: boolean;
  error: string | null;
}

export const useBroadcasts = create<BroadcastsStore>()(() => ({
  draft: { kind: 'channels', channels: '', users: '', mode: 'text', text: '' },
  reach: null,
  checking: false,
  sending: false,
  sent: null,
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
    const reach: Reach = {
      key: audienceKey(audience), connections: r.connections, nodes: r.nodes, unanswered: r.unanswered ?? [],
      perUser: r.perUser ?? [], notConnected: r.notConnected ?? [],
    };
    useBroadcasts.setState({ reach });
    return reach;
  } finally {
    useBroadcasts.setState({ checking: false });
  }
}

/**
 * Sends for real; on success the composer is cleared (a second click has nothing to send) and the
 * confirmation names what was sent, to whom, and what the nodes delivered.
 */
export async function sendBroadcast(audience: Audience, data: Json): Promise<boolean> {
  useBroadcasts.setState({ sending: true });
  try {
    const r = await call('broadcast.send', { audience, data, dryRun: false }, (res) => describeSent(summaryOf(audience, data, res)),
      'connections there may not have received it');
    if (r) useBroadcasts.setState((s) => ({ draft: clearedDraft(s.draft), reach: null, sent: summaryOf(audience, data, r) }));
    await loadBroadcasts();
    return r !== null;
  } finally {
    useBroadcasts.setState({ sending: false });
  }
}

/** Hides the last send's confirmation. */
export function dismissSent(): void {
  useBroadcasts.setState({ sent: null });
}

function summaryOf(audience: Audience, data: Json, r: AdminResults['broadcast.send']): SentSummary {
  return {
    id: r.id ?? 0, audience, preview: JSON.stringify(data).slice(0, 200), connections: r.connections, nodes: r.nodes,
    ...(r.delivered === undefined ? {} : { delivered: r.delivered }), notConnected: r.notConnected ?? [], unanswered: r.unanswered ?? [],
  };
}
