/**
 * Which "generation" of Redis data the channel epochs belong to (issue 10 §2, "Redis restart or
 * failover"). A channel's stream position is `(offset, epoch)`; clients recover from it, so an offset
 * must never be handed out twice under one epoch. That happens when Redis comes back holding an
 * OLDER state than the one it acknowledged — offsets counted again from an earlier top, under an
 * epoch clients still hold — and then a client would "recover" a stream it never saw, or the nodes
 * would drop the reused offsets as duplicates. When that may have happened, every channel must move
 * to a new epoch, so positioned clients get `recovered: false` instead of a silent gap.
 *
 * What tells us, measured on Debian's redis-server 7.0.15 (a restart on the same port and dir):
 * - `run_id` changes on every start, so it separates "the same process" from "a restart or another
 *   server" and nothing more.
 * - `master_replid` is new on every start too — with AOF (appendfsync always), after SIGTERM and after
 *   SIGKILL alike — and `master_replid2` stays 000…0: a restart of a master cannot be told from a
 *   different master by the replication ids, nor a graceful restart from a crash.
 * - A replica promoted with `REPLICAOF NO ONE` gets a new `master_replid` and keeps its former
 *   master's id as `master_replid2` (with `second_repl_offset` set): the one field that says "this
 *   data is a copy, and may lack the last writes its master acknowledged".
 *
 * The rule ({@link judge}), from the server the engine recorded last to the one it sees now:
 * 1. same `run_id`: the same process and memory (a dropped connection) — keep the epochs;
 * 2. `master_replid2` set: a promoted replica (a failover) — new epochs;
 * 3. another `run_id`, not promoted: a restart. Keep the epochs only if the recorded server persisted
 *    every write before acknowledging it (`appendonly yes` + `appendfsync always`): then it reloads
 *    all it acknowledged, and clients recover (`recovered: true`). Otherwise (RDB snapshots, AOF
 *    `everysec`, CONFIG unreadable) a crash brings back an older state and we cannot tell it from a
 *    graceful restart — new epochs. (Without persistence the data is gone anyway: every channel
 *    starts a new epoch at its next use whatever we decide.)
 *
 * The record lives IN Redis (`${prefix}.generation`: the server's run_id, replid, durability and the
 * generation id), not in a supervisor's memory: it travels with the data (reloaded from AOF,
 * replicated to a replica), so it is judged right by a supervisor that was down during the failover,
 * and every supervisor ends with the same generation (one compare-and-set wins; the others read it).
 *
 * How a new generation rotates the epochs: each channel's meta carries the generation it was written
 * under (`g`), and the publish and history scripts, given the current generation, give a meta of an
 * older one a new epoch before anything else (redis-scripts.ts). So a failover costs O(1) — no SCAN
 * over every channel, no window in which a channel not yet rewritten still serves its old epoch — and
 * a channel nobody touches again costs nothing. The broker asks {@link EpochGeneration.current}
 * before every script call; after a reconnect it waits for the check on the new connection, so a
 * script never runs with the generation of another server.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What the server behind a connection says about itself (INFO server, INFO replication, CONFIG). */
export interface ServerState {
  runId: string;
  role: string;
  replid: string;
  /** The former master's replication id after a promotion; {@link NO_REPLID} otherwise. */
  replid2: string;
  /** appendonly yes + appendfsync always (false too when CONFIG cannot be read). */
  durable: boolean;
}

/** What the engine stored in Redis when it last checked: the server it saw, and the generation. */
export interface GenerationRecord {
  runId: string;
  replid: string;
  durable: boolean;
  gen: string;
}

export const NO_REPLID = '0000000000000000000000000000000000000000';

export interface Verdict {
  keep: boolean;
  /** Why, in words, for the log. */
  reason: string;
}

/** The rule of the module comment: keep the recorded generation, or start a new one. */
export function judge(last: GenerationRecord | null, now: ServerState): Verdict {
  if (!last) return { keep: false, reason: 'no generation recorded under this prefix (first use, or Redis lost its data)' };
  if (last.runId === now.runId) return { keep: true, reason: 'the same redis-server process (run_id unchanged)' };
  if (now.replid2 !== NO_REPLID && now.replid2 !== '') {
    const whose = now.replid2 === last.replid ? 'the server recorded before' : 'another server';
    return { keep: false, reason: `a replica of ${whose} was promoted (master_replid2 ${now.replid2.slice(0, 8)}…): writes its master acknowledged may be lost` };
  }
  if (last.durable) return { keep: true, reason: 'a restart of a server that fsyncs every write (appendfsync always): it reloaded all it acknowledged' };
  return { keep: false, reason: 'a restart (run_id changed) of a server that does not fsync every write: it may have come back with an older state' };
}

/** Parses `field:value` lines of an INFO reply. */
export function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) fields.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return fields;
}

/** Reads the server's identity and durability over `redis`. */
export async function readServerState(redis: Redis): Promise<ServerState> {
  const [server, replication] = await Promise.all([redis.info('server'), redis.info('replication')]);
  const s = infoFields(server);
  const r = infoFields(replication);
  let durable = false;
  try {
    const [aof, fsync] = await Promise.all([
      redis.config('GET', 'appendonly') as Promise<string[]>,
      redis.config('GET', 'appendfsync') as Promise<string[]>,
    ]);
    durable = aof[1] === 'yes' && fsync[1] === 'always';
  } catch {
    // CONFIG renamed or disabled (managed Redis): durability unknown, so a restart rotates.
  }
  return {
    runId: s.get('run_id') ?? '',
    role: r.get('role') ?? 'master',
    replid: r.get('master_replid') ?? '',
    replid2: r.get('master_replid2') ?? NO_REPLID,
    durable,
  };
}

function parseRecord(raw: string | null): GenerationRecord | null {
  if (raw === null) return null;
  try {
    const r = JSON.parse(raw) as Partial<GenerationRecord>;
    if (typeof r.runId !== 'string' || typeof r.replid !== 'string' || typeof r.gen !== 'string' || r.gen === '') return null;
    return { runId: r.runId, replid: r.replid, durable: r.durable === true, gen: r.gen };
  } catch {
    return null;
  }
}

/** SET the record only if it still holds what was read ('' for absent): one checker wins a race. */
const COMPARE_AND_SET = `
local current = redis.call('get', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2])
return 1
`;

const CAS_ATTEMPTS = 5;

export interface GenerationChange {
  from: string | null;
  to: string;
  reason: string;
}

/**
 * The generation of the server behind the command connection, checked once per connection (at
 * start and after every reconnect) before any script may use it.
 */
export class EpochGeneration {
  readonly key: string;
  /** The check of the current connection (null: none yet, or the connection closed since). */
  private checking: Promise<string> | null = null;
  private readonly changeListeners = new Set<(change: GenerationChange) => void>();

  constructor(private readonly redis: Redis, prefix: string, private readonly log: (line: string) => void) {
    this.key = `${prefix}.generation`;
    // A new connection may lead to another server: its generation is checked again before use.
    redis.on('close', () => { this.checking = null; });
    redis.on('ready', () => void this.current().catch((e: Error) => this.log(`redis engine: checking the server's generation failed: ${e.message}`)));
  }

  /** The generation every script call passes; checks the server first after a (re)connect. */
  current(): Promise<string> {
    if (this.checking) return this.checking;
    const check = this.check();
    this.checking = check;
    check.catch(() => {
      if (this.checking === check) this.checking = null; // the next call tries again
    });
    return check;
  }

  /** Called when a check starts a new generation over an existing one (epochs rotate). Returns a dispose. */
  onChange(listener: (change: GenerationChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => void this.changeListeners.delete(listener);
  }

  private async check(): Promise<string> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const [now, raw] = await Promise.all([readServerState(this.redis), this.redis.get(this.key)]);
      const last = parseRecord(raw);
      const verdict = judge(last, now);
      const record: GenerationRecord = {
        runId: now.runId, replid: now.replid, durable: now.durable,
        gen: verdict.keep && last ? last.gen : newGeneration(),
      };
      if (last && verdict.keep && last.runId === record.runId && last.replid === record.replid && last.durable === record.durable) {
        return last.gen; // nothing new to record
      }
      const won = await this.redis.eval(COMPARE_AND_SET, 1, this.key, raw ?? '', JSON.stringify(record));
      if (Number(won) !== 1) continue; // another supervisor recorded this server first: judge its record
      if (last && !verdict.keep) {
        this.log(`redis engine: ${verdict.reason}; every channel starts a new epoch at its next use (generation ${last.gen} → ${record.gen})`);
        for (const listener of [...this.changeListeners]) listener({ from: last.gen, to: record.gen, reason: verdict.reason });
      } else if (last) {
        this.log(`redis engine: ${verdict.reason}; channel epochs kept`);
      }
      return record.gen;
    }
    throw new Error(`the generation record ${this.key} kept changing under ${CAS_ATTEMPTS} attempts to update it`);
  }
}

function newGeneration(): string {
  return randomBytes(6).toString('base64url');
}
