/**
 * Namespaces fit for local development, used when the config has no `channel` section (or there is
 * no config file at all), and the one-line summaries `switchboard serve` prints at start.
 */
import type { ChannelOptions, ChannelSettings } from '../../shared/channels/channel-options.js';
import { DEFAULT_CHANNEL_OPTIONS, hasHistory } from '../../shared/channels/channel-options.js';
import { formatDuration } from '../../shared/duration.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Fresh copies of the default namespaces (callers may mutate them). */
export function defaultNamespaces(): Record<string, ChannelOptions> {
  return {
    // Recovery and positioning are forced so the default centrifuge-js client recovers without asking.
    chat: {
      ...DEFAULT_CHANNEL_OPTIONS,
      historySize: 100,
      historyTtlMs: 5 * MINUTE,
      forceRecovery: true,
      forcePositioning: true,
      presence: true,
      joinLeave: true,
      forcePushJoinLeave: false,
      allowSubscribeForClient: true,
      allowPublishForSubscriber: true,
      allowPresenceForSubscriber: true,
      allowHistoryForSubscriber: true,
      publicationDataFormat: '',
    },
    // Typing indicators: no history, any JSON (even a bare `true`), and a rate limit per connection.
    typing: {
      ...DEFAULT_CHANNEL_OPTIONS,
      allowSubscribeForClient: true,
      allowPublishForSubscriber: true,
      publishRateLimit: 5,
      publicationDataFormat: 'json',
    },
    // Only the server publishes (HTTP API); clients may subscribe and recover.
    feed: {
      ...DEFAULT_CHANNEL_OPTIONS,
      historySize: 300,
      historyTtlMs: HOUR,
      forceRecovery: true,
      allowSubscribeForClient: true,
    },
    // `personal:#alice` is alice's channel: only she may subscribe, only the server publishes.
    personal: {
      ...DEFAULT_CHANNEL_OPTIONS,
      allowUserLimitedChannels: true,
      historySize: 100,
      historyTtlMs: HOUR,
      forceRecovery: true,
    },
  };
}

/**
 * A namespace map without a prototype: `constructor` or `__proto__` is a namespace only when the
 * config names one. (Maps that crossed IPC are plain again; parseChannel checks own keys regardless.)
 */
export function namespaceMap(entries: Iterable<readonly [string, ChannelOptions]>): Record<string, ChannelOptions> {
  const map = Object.create(null) as Record<string, ChannelOptions>;
  for (const [name, options] of entries) map[name] = options;
  return map;
}

/** Channel settings with the default namespaces and Centrifugo's default boundaries. */
export function defaultChannelSettings(): ChannelSettings {
  return {
    withoutNamespace: { ...DEFAULT_CHANNEL_OPTIONS },
    namespaces: namespaceMap(Object.entries(defaultNamespaces())),
    privatePrefix: '$',
    namespaceBoundary: ':',
    userBoundary: '#',
    userSeparator: ',',
    maxLength: 255,
  };
}

/** Who may do something, from the client/subscriber/anonymous triple of a permission. */
function who(client: boolean, subscriber: boolean, anonymous: boolean): string | undefined {
  const base = client ? 'any user' : subscriber ? 'subscribers' : undefined;
  if (base === undefined) return undefined;
  return anonymous ? `${base} (anonymous too)` : base;
}

/** A short human description of one namespace's options. */
export function describeOptions(o: ChannelOptions): string {
  const parts: string[] = [];
  parts.push(hasHistory(o) ? `history ${o.historySize} / ${formatDuration(o.historyTtlMs)}` : 'no history');
  if (o.forceRecovery) parts.push('recovery');
  else if (o.allowRecovery) parts.push('recovery on request');
  if (o.forcePositioning) parts.push('positioning');
  if (o.presence) parts.push('presence');
  if (o.joinLeave) parts.push(o.forcePushJoinLeave ? 'join/leave pushed' : 'join/leave');
  const subscribe = o.subscribeProxy !== '' ? `your backend decides (${o.subscribeProxy})`
    : o.allowUserLimitedChannels ? 'own #user channels' : who(o.allowSubscribeForClient, false, o.allowSubscribeForAnonymous);
  parts.push(`subscribe: ${subscribe ?? 'with a token'}`);
  const publish = o.publishProxy !== '' ? `your backend decides (${o.publishProxy})` : who(o.allowPublishForClient, o.allowPublishForSubscriber, o.allowPublishForAnonymous);
  const limit = publish !== undefined && o.publishRateLimit > 0 ? `, max ${o.publishRateLimit}/s` : '';
  parts.push(`publish: ${publish === undefined ? 'server only' : `${publish}${limit}`}`);
  if (o.subRefreshProxy !== '') parts.push(`subscriptions refreshed by ${o.subRefreshProxy}`);
  if (o.allowDelta) parts.push(o.deltaPublish ? 'fossil deltas (every publication)' : 'fossil deltas (on request)');
  if (o.allowTagsFilter) parts.push('tags filters');
  const presence = who(o.allowPresenceForClient, o.allowPresenceForSubscriber, o.allowPresenceForAnonymous);
  if (o.presence && presence !== undefined) parts.push(`presence: ${presence}`);
  const history = who(o.allowHistoryForClient, o.allowHistoryForSubscriber, o.allowHistoryForAnonymous);
  if (hasHistory(o) && history !== undefined) parts.push(`history: ${history}`);
  if (o.publicationDataFormat !== '') parts.push(`data: ${o.publicationDataFormat}`);
  if (o.channelRegex !== '') parts.push(`names: /${o.channelRegex}/`);
  return parts.join(' · ');
}

/**
 * One line per namespace, e.g. `chat:      history 100 / 5m · recovery · …`, for `serve` to print.
 * Channels without a namespace get a line only when they allow anything beyond the defaults.
 */
export function describeNamespaces(settings: ChannelSettings): string[] {
  const entries = Object.entries(settings.namespaces);
  const width = Math.max(6, ...entries.map(([n]) => n.length + settings.namespaceBoundary.length)) + 2;
  const lines = entries.map(([name, options]) => `${`${name}${settings.namespaceBoundary}`.padEnd(width)}${describeOptions(options)}`);
  const plain = settings.withoutNamespace;
  const changed = (Object.keys(plain) as (keyof ChannelOptions)[])
    .some((k) => k !== 'historyMetaTtlMs' && plain[k] !== DEFAULT_CHANNEL_OPTIONS[k]);
  if (changed) lines.push(`${'(none)'.padEnd(width)}${describeOptions(plain)}`);
  return lines;
}
