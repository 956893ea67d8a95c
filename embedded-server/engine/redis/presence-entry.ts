/**
 * How Redis presence stores its values: an entry is JSON {owner, info} (the Lua reads `owner`), an
 * owner-set member is JSON [channel, client] (channel names may hold any separator character).
 * Values come back from Redis, which other processes write too: anything malformed decodes to
 * undefined and is skipped rather than thrown.
 */
import type { ClientInfo } from '../../../shared/protocol/client-protocol.js';

/** One stored presence entry. */
export interface StoredEntry {
  owner: string;
  info: ClientInfo;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function encodeEntry(owner: string, info: ClientInfo): string {
  return JSON.stringify({ owner, info });
}

export function decodeEntry(text: string): StoredEntry | undefined {
  const raw = parse(text);
  if (!isRecord(raw) || typeof raw.owner !== 'string' || !isRecord(raw.info)) return undefined;
  if (typeof raw.info.client !== 'string' || typeof raw.info.user !== 'string') return undefined;
  return { owner: raw.owner, info: raw.info as unknown as ClientInfo };
}

export function encodeMember(channel: string, client: string): string {
  return JSON.stringify([channel, client]);
}

export function decodeMember(text: string): { channel: string; client: string } | undefined {
  const raw = parse(text);
  if (!Array.isArray(raw) || raw.length !== 2 || typeof raw[0] !== 'string' || typeof raw[1] !== 'string') return undefined;
  return { channel: raw[0], client: raw[1] };
}
