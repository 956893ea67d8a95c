/**
 * Broadcasts from the console: to everyone (a `message` push), to channels (publications, kept in
 * history), or to users (publications to their personal channels), on every supervisor of the
 * engine. A dry run answers the reach — unique connections and the nodes they are on — from the
 * same registries the send reaches.
 */
import type { AdminError, AdminResults } from '../../shared/admin/admin-api.js';
import type { Audience, BroadcastRecord } from '../../shared/admin/admin-model.js';
import { personalChannel } from '../../shared/channels/channel-name.js';
import { publicationInfoProblem } from '../../shared/channels/channel-options.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import type { Result } from '../../shared/result.js';
import { err, ok } from '../../shared/result.js';
import { badRequest } from './admin-errors.js';
import type { CheckedPublication } from './publish-to-channel.js';
import { checkPublication, publishChecked } from './publish-to-channel.js';
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
    const channels = this.channelsOf(audience);
    if (!channels.ok) return channels;
    const checked = this.check(channels.value, data);
    if (!checked.ok) return checked;
    const { unanswered, ...reach } = await spanReach(this.sv, channels.value);
    const silent = unanswered.length > 0 ? { unanswered } : {};
    if (dryRun) return ok({ ...reach, sent: false, ...silent });
    if (checked.value === null) {
      const sent = await spanNodeRequest(this.sv, 'sessions.message', { data });
      if (sent.unanswered.length > 0) silent.unanswered = [...new Set([...unanswered, ...sent.unanswered])];
    } else {
      for (const publication of checked.value) await publishChecked(this.sv.broker, publication);
    }
    const id = this.nextId++;
    const preview = JSON.stringify(data).slice(0, 200);
    this.records.unshift({ id, at: Date.now(), by: who, audience, preview, ...reach });
    if (this.records.length > KEEP) this.records.length = KEEP;
    this.sv.events.emit({ type: 'broadcast.sent', by: who, audience, ...reach });
    return ok({ ...reach, sent: true, id, ...silent });
  }

  /**
   * Every channel (users' personal channels too) with the data through the one publication check
   * every way to publish uses (publish-to-channel.ts), all before anything is sent; for everyone
   * (a `message` push, not a publication) the data against the publication limits.
   */
  private check(channels: string[] | null, data: unknown): Result<CheckedPublication[] | null, AdminError> {
    if (channels === null) {
      const problem = publicationInfoProblem('data', data) ?? (data === undefined ? 'data is required' : null);
      return problem ? err(badRequest(problem)) : ok(null);
    }
    const checked: CheckedPublication[] = [];
    for (const channel of channels) {
      const c = checkPublication({ channel, data }, this.sv.config.channels);
      if (!c.ok) return err(badRequest(`${channel}: ${c.error.why}`));
      checked.push(c.value);
    }
    return ok(checked);
  }

  /** The channels an audience means; null for everyone. */
  private channelsOf(audience: Audience): Result<string[] | null, AdminError> {
    const settings = this.sv.config.channels;
    if (audience.kind === 'all') return ok(null);
    if (audience.kind === 'users') {
      const ns = this.sv.config.personalNamespace;
      if (!settings.namespaces[ns]) return err(badRequest(`no personal namespace "${ns}" is configured (cluster.personal_namespace)`));
      return ok([...new Set(audience.users)].map((u) => personalChannel(ns, u, settings)));
    }
    return ok([...new Set(audience.channels)]);
  }
}
