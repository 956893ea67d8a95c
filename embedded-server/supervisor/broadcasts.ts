/**
 * Broadcasts from the console: to everyone or to users (a `message` push to their connections, as a
 * user-targeted kick reaches them), or to channels (publications, kept in history), on every
 * supervisor of the engine. A dry run answers the reach — unique connections and the nodes they are
 * on, per user for users — from the same registries the send reaches; a send adds what the nodes
 * report they wrote (`delivered`).
 */
import type { AdminError, AdminResults } from '../../shared/admin/admin-api.js';
import type { Audience, BroadcastOutcome, BroadcastRecord } from '../../shared/admin/admin-model.js';
import { publicationInfoProblem } from '../../shared/channels/channel-options.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { badRequest } from './admin-errors.js';
import type { CheckedPublication } from './publish-to-channel.js';
import { checkPublication, publishChecked } from './publish-to-channel.js';
import { publishingAs } from './publish-origin.js';
import type { ReachTarget } from './cluster-wide.js';
import { spanNodeRequest, spanReach } from './cluster-wide.js';
import type { Supervisor } from './supervisor.js';

const KEEP = 100;

export class BroadcastDesk {
  private readonly records: BroadcastRecord[] = [];
  private nextId = 1;

  constructor(private readonly sv: Supervisor) {}

  list(): BroadcastRecord[] {
    return [...this.records];
  }

  async send(audience: Audience, data: Json, dryRun: boolean, who: string): Promise<Result<AdminResults['broadcast.send'], AdminError>> {
    const target = targetOf(audience);
    const checked = this.check(target, data);
    if (!checked.ok) return checked;
    const { unanswered, perUser, ...reach } = await spanReach(this.sv, target);
    const explained = explain(target.users, perUser);
    const silent = new Set(unanswered);
    if (dryRun) return ok({ ...reach, sent: false, ...explained, ...unansweredOf(silent) });
    let delivered: number | undefined;
    if (checked.value === null) {
      const req = target.users === undefined ? { data } : { users: target.users, data };
      const sent = await spanNodeRequest(this.sv, 'sessions.message', req);
      delivered = sent.results.reduce((n, r) => n + r.count, 0);
      for (const s of sent.unanswered) silent.add(s);
    } else {
      for (const publication of checked.value) await publishChecked(publishingAs(this.sv.broker, 'admin'), publication);
    }
    const counted = delivered === undefined ? {} : { delivered };
    const id = this.nextId++;
    const preview = JSON.stringify(data).slice(0, 200);
    const notConnected = explained.notConnected === undefined ? {} : { notConnected: explained.notConnected };
    this.records.unshift({ id, at: Date.now(), by: who, audience, preview, ...reach, ...counted, ...notConnected });
    if (this.records.length > KEEP) this.records.length = KEEP;
    this.sv.events.emit({ type: 'broadcast.sent', by: who, audience, ...reach, ...counted });
    return ok({ ...reach, sent: true, id, ...counted, ...explained, ...unansweredOf(silent) });
  }

  /**
   * For channels, every channel with the data through the one publication check every way to
   * publish uses (publish-to-channel.ts), all before anything is sent; for a `message` push
   * (everyone, users) the data against the publication limits.
   */
  private check(target: ReachTarget, data: unknown): Result<CheckedPublication[] | null, AdminError> {
    if (target.channels === null) {
      const problem = publicationInfoProblem('data', data) ?? (data === undefined ? 'data is required' : null);
      return problem ? err(badRequest(problem)) : ok(null);
    }
    const checked: CheckedPublication[] = [];
    for (const channel of target.channels) {
      const c = checkPublication({ channel, data }, this.sv.config.channels);
      if (!c.ok) return err(badRequest(`${channel}: ${c.error.why}`));
      checked.push(c.value);
    }
    return ok(checked);
  }
}

/** The connections an audience means: everyone (channels null), channels' subscribers, or users' connections. */
function targetOf(audience: Audience): ReachTarget {
  switch (audience.kind) {
    case 'all': return { channels: null };
    case 'channels': return { channels: [...new Set(audience.channels)] };
    case 'users': return { channels: null, users: [...new Set(audience.users)] };
  }
}

/** Per user: the reach of each, and those with no connection anywhere. Nothing for other audiences. */
export function explain(users: string[] | undefined, perUser: number[] | undefined): Pick<BroadcastOutcome, 'perUser' | 'notConnected'> {
  if (users === undefined) return {};
  const counts = users.map((user, i) => ({ user, connections: perUser?.[i] ?? 0 }));
  return { perUser: counts, notConnected: counts.filter((u) => u.connections === 0).map((u) => u.user) };
}

const unansweredOf = (silent: Set<string>): { unanswered?: string[] } =>
  silent.size > 0 ? { unanswered: [...silent].sort() } : {};
