/**
 * Recent recoveries per user (across reconnects, which change the client id), for the console's
 * recovery timeline. Bounded: 20 records per user, 10,000 users (the oldest user entry goes first).
 */
import type { RecoveryRecord } from '../../shared/admin/admin-model.js';

export class RecoveryLog {
  private readonly byUser = new Map<string, RecoveryRecord[]>();

  constructor(private readonly perUser = 20, private readonly users = 10_000) {}

  add(user: string, record: RecoveryRecord): void {
    let list = this.byUser.get(user);
    if (list) this.byUser.delete(user); // re-insert: most recently active users stay longest
    else list = [];
    list.unshift(record);
    if (list.length > this.perUser) list.length = this.perUser;
    this.byUser.set(user, list);
    if (this.byUser.size > this.users) this.byUser.delete(this.byUser.keys().next().value!);
  }

  /** Newest first. Anonymous users share one timeline, so it is filtered to the client. */
  of(user: string, client: string): RecoveryRecord[] {
    const list = this.byUser.get(user) ?? [];
    return user === '' ? list.filter((r) => r.client === client) : [...list];
  }
}
