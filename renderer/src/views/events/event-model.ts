/** The events log's rules, pure: type groups, filters, and each event as one readable line. */
import type { AdminEvent, AdminEventType, KickTarget } from '../../../../shared/admin/admin-model.js';
import { describeAudience, fmtDelivered, fmtReach } from '../../stores/broadcasts.model.js';
import { fmtInt } from '../../format.js';

export const EVENT_GROUPS: { id: string; label: string; types: AdminEventType[] }[] = [
  { id: 'clients', label: 'Clients', types: ['client.connected', 'client.disconnected'] },
  { id: 'subscriptions', label: 'Subscriptions', types: ['client.subscribed', 'client.unsubscribed', 'subscription.recovered'] },
  { id: 'admin', label: 'Admin actions', types: ['client.kicked', 'broadcast.sent', 'admin.action'] },
  { id: 'nodes', label: 'Nodes', types: ['node.started', 'node.restarted', 'node.unhealthy', 'node.recovered', 'node.unresponsive', 'node.down', 'node.draining', 'node.drained', 'node.removed'] },
  { id: 'faults', label: 'Faults', types: ['fault.injected', 'fault.healed'] },
  { id: 'engine', label: 'Engine', types: ['engine.resubscribed'] },
  { id: 'supervisors', label: 'Supervisors', types: ['supervisor.joined', 'supervisor.left'] },
  { id: 'alerts', label: 'Alerts', types: ['alert.firing', 'alert.resolved'] },
];

export interface EventFilter {
  /** '' = any; `group:<id>` = a group; otherwise one event type. */
  type: string;
  /** '' = any; exact node id. */
  node: string;
  /** Case-insensitive substrings; '' = any. */
  user: string;
  channel: string;
}

export const emptyFilter = (): EventFilter => ({ type: '', node: '', user: '', channel: '' });

export const isFiltered = (f: EventFilter): boolean => f.type !== '' || f.node !== '' || f.user.trim() !== '' || f.channel.trim() !== '';

export function eventNode(e: AdminEvent): string | undefined {
  return 'node' in e ? e.node : undefined;
}

export function eventUser(e: AdminEvent): string | undefined {
  if ('user' in e) return e.user;
  if (e.type === 'client.kicked' && 'user' in e.target) return e.target.user;
  return undefined;
}

export function eventClient(e: AdminEvent): string | undefined {
  if ('client' in e) return e.client;
  if (e.type === 'client.kicked' && 'client' in e.target) return e.target.client;
  return undefined;
}

export function eventChannel(e: AdminEvent): string | undefined {
  if ('channel' in e) return e.channel;
  if (e.type === 'client.kicked' && 'channel' in e.target) return e.target.channel;
  return undefined;
}

/** Users and channels an event is about, for the text filters (a broadcast names its audience). */
function usersOf(e: AdminEvent): string[] {
  if (e.type === 'broadcast.sent' && e.audience.kind === 'users') return e.audience.users;
  const u = eventUser(e);
  return u === undefined ? [] : [u];
}

function channelsOf(e: AdminEvent): string[] {
  if (e.type === 'broadcast.sent' && e.audience.kind === 'channels') return e.audience.channels;
  const c = eventChannel(e);
  return c === undefined ? [] : [c];
}

/** A predicate for a filter, built once per change (the log holds up to 5,000 events). */
export function eventMatcher(f: EventFilter): (e: AdminEvent) => boolean {
  let types: Set<string> | null = null;
  if (f.type.startsWith('group:')) types = new Set(EVENT_GROUPS.find((g) => `group:${g.id}` === f.type)?.types ?? []);
  else if (f.type !== '') types = new Set([f.type]);
  const user = f.user.trim().toLowerCase();
  const channel = f.channel.trim().toLowerCase();
  return (e) => {
    if (types && !types.has(e.type)) return false;
    if (f.node !== '' && eventNode(e) !== f.node) return false;
    if (user !== '' && !usersOf(e).some((u) => u.toLowerCase().includes(user))) return false;
    if (channel !== '' && !channelsOf(e).some((c) => c.toLowerCase().includes(channel))) return false;
    return true;
  };
}

/** Newest first, filtered. */
export function visibleEvents(events: readonly AdminEvent[], f: EventFilter): AdminEvent[] {
  const match = eventMatcher(f);
  const out: AdminEvent[] = [];
  for (let i = events.length - 1; i >= 0; i--) if (match(events[i]!)) out.push(events[i]!);
  return out;
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export function eventTone(e: AdminEvent): Tone {
  switch (e.type) {
    case 'client.connected': case 'node.started': case 'node.recovered': case 'fault.healed': return 'ok';
    case 'subscription.recovered': return e.recovered ? 'ok' : 'warn';
    case 'client.disconnected': case 'client.subscribed': case 'client.unsubscribed': return 'neutral';
    case 'node.unhealthy': case 'fault.injected': case 'node.restarted': case 'engine.resubscribed': return 'warn';
    case 'node.down': case 'node.removed': case 'client.kicked': case 'node.unresponsive': return 'bad';
    case 'broadcast.sent': case 'admin.action': case 'supervisor.joined': case 'node.draining': case 'node.drained': return 'info';
    case 'supervisor.left': return 'bad';
    case 'alert.firing': return e.severity === 'critical' ? 'bad' : 'warn';
    case 'alert.resolved': return 'ok';
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${fmtInt(n)} ${n === 1 ? one : many}`;

function targetText(t: KickTarget): string {
  if ('client' in t) return `client ${t.client}`;
  if ('user' in t) return `user ${t.user}`;
  return `channel ${t.channel}`;
}

/** What the columns (time, type, node, user, client, channel) do not say. */
export function eventDetails(e: AdminEvent): string {
  switch (e.type) {
    case 'client.connected': return `from ${e.remote}`;
    case 'client.disconnected': return `code ${e.code}${e.reason ? ` · ${e.reason}` : ''}`;
    case 'client.subscribed': case 'client.unsubscribed': return '';
    case 'subscription.recovered': return e.recovered
      ? `recovered ${plural(e.replayed, 'publication')}`
      : `not recovered${e.miss ? ` (${e.miss})` : ''} · replayed ${plural(e.replayed, 'publication')}`;
    case 'client.kicked': return `kicked ${plural(e.count, 'connection')} (${targetText(e.target)}) · code ${e.code}${e.reason ? ` · ${e.reason}` : ''} · by ${e.by}`;
    case 'broadcast.sent': {
      const delivered = fmtDelivered(e);
      return `to ${describeAudience(e.audience)} · reached ${fmtReach(e)}${delivered ? ` · ${delivered}` : ''} · by ${e.by}`;
    }
    case 'node.started': case 'node.restarted': return `pid ${e.pid}`;
    case 'node.unhealthy': case 'node.recovered': case 'node.removed': return '';
    case 'node.draining': return `${e.purpose}: moving ${plural(e.total, 'connection')} at ${fmtInt(e.rate)}/s`;
    case 'node.drained': return `${e.purpose}: ${plural(e.moved, 'connection')} moved in ${(e.ms / 1000).toFixed(1)} s`;
    case 'node.unresponsive': return `no report for ${(e.silentMs / 1000).toFixed(1)} s · pid ${e.pid} killed to be replaced`;
    case 'node.down': return e.signal ? `signal ${e.signal}` : e.code !== null ? `exit code ${e.code}` : 'exited';
    case 'fault.injected': return `${e.fault}${e.seconds !== undefined ? ` for ${e.seconds} s` : ''} · by ${e.by}`;
    case 'fault.healed': return `${e.fault} healed`;
    case 'admin.action': return `${e.action}${e.detail ? `: ${e.detail}` : ''} · by ${e.by}`;
    case 'engine.resubscribed': return `${e.supervisor}: subscription ${e.cause === 'silent' ? 'was silent' : 'dropped'}, resubscribed · nodes reconcile positions`;
    case 'supervisor.joined': return `${e.supervisor} joined with ${plural(e.nodes, 'node')}`;
    case 'supervisor.left': return `${e.supervisor} missed 3 heartbeats: its ${plural(e.nodes, 'node')} left the view · ${plural(e.reaped, 'presence entry', 'presence entries')} removed here`;
    case 'alert.firing': return `${e.severity}: ${e.text}`;
    case 'alert.resolved': return `resolved: ${e.text}`;
  }
}
