/**
 * user → that user's open sessions on this node. Most users hold one connection, so a lone session
 * is stored as itself and a Set is made only for the second (a Set each would cost ~180 B per idle
 * connection at 10k).
 */
export class UserSessions<S extends object> {
  private readonly byUser = new Map<string, S | Set<S>>();

  /** Distinct users with at least one session. */
  get size(): number {
    return this.byUser.size;
  }

  add(user: string, s: S): void {
    const held = this.byUser.get(user);
    if (held === undefined) this.byUser.set(user, s);
    else if (held instanceof Set) held.add(s);
    else if (held !== s) this.byUser.set(user, new Set([held, s]));
  }

  delete(user: string, s: S): void {
    const held = this.byUser.get(user);
    if (held === undefined) return;
    if (!(held instanceof Set)) {
      if (held === s) this.byUser.delete(user);
      return;
    }
    held.delete(s);
    if (held.size === 1) this.byUser.set(user, held.values().next().value as S);
  }

  /** How many sessions the user holds. */
  count(user: string): number {
    const held = this.byUser.get(user);
    if (held === undefined) return 0;
    return held instanceof Set ? held.size : 1;
  }

  /** The user's sessions (a copy: callers may close them while iterating). */
  of(user: string): S[] {
    const held = this.byUser.get(user);
    if (held === undefined) return [];
    return held instanceof Set ? [...held] : [held];
  }
}
