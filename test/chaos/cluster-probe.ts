/**
 * Readings of the cluster under test from outside it: the supervisor's RSS (from /proc), the size
 * of its event ring (through the admin API), and the stream tops of the fleet's channels.
 */
import { readFileSync } from 'node:fs';
import type { AdminClient } from '../support/admin-client.js';
import { roomSize } from '../../embedded-server/testing.js';

/** Resident set size of a process in bytes (VmRSS), or 0 once it is gone. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Events the supervisor's ring holds now: from the oldest it can replay to the newest. */
export async function eventRingSize(admin: AdminClient): Promise<number> {
  const { events, lastSeq } = await admin.request('events.since', { seq: 0, limit: 1 });
  const oldest = events[0];
  return oldest === undefined ? 0 : lastSeq - oldest.seq + 1;
}

export interface StreamTops {
  /** Channels with a stream position found. */
  channels: number;
  /** Publications made on them (the sum of their tops). */
  publications: number;
  /** Deliveries owed: each channel's top times the bots in its room. */
  owed: number;
}

/**
 * The tops of a fleet's data channels (namespace `chat` or `feed`, names ending in `-<room>`) and
 * the deliveries they owe, when every bot subscribed before the first publication.
 */
export async function streamTops(admin: AdminClient, namespace: string, clients: number, channels: number): Promise<StreamTops> {
  const { items } = await admin.request('channels.query', { filter: { namespace }, limit: 1000 });
  const out: StreamTops = { channels: 0, publications: 0, owed: 0 };
  for (const row of items) {
    const room = /-(\d+)$/.exec(row.channel);
    if (!room || row.offset === undefined) continue;
    out.channels++;
    out.publications += row.offset;
    out.owed += row.offset * roomSize(Number(room[1]), clients, channels);
  }
  return out;
}
