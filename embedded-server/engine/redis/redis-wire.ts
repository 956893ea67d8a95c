/**
 * What the Redis broker PUBLISHes on a channel's pub/sub channel, and how it reads it back:
 * `p:<offset>:<epoch>:<json {data, info?, tags?, delta?}>` (offset and epoch empty without history; the
 * publish script builds this same form), `j:<json ClientInfo>`, `l:<json ClientInfo>`.
 */
import type { ClientInfo, Json, Publication } from '../../../shared/protocol/client-protocol.js';
import type { BrokerEvent } from '../../broker/broker.js';

/** The stored and published body of a publication (its offset travels beside it). */
export function encodePublicationBody(data: Json, info?: ClientInfo, tags?: Record<string, string>, delta?: boolean): string {
  const body: Publication & { delta?: true } = { data };
  if (info) body.info = info;
  if (tags) body.tags = tags;
  // Read back by decodeBrokerMessage only: the publication a client gets never carries it.
  if (delta) body.delta = true;
  return JSON.stringify(body);
}

/** A publication without history, as PUBLISHed. */
export const encodeBarePublication = (body: string): string => `p:::${body}`;

export const encodeJoin = (info: ClientInfo): string => `j:${JSON.stringify(info)}`;
export const encodeLeave = (info: ClientInfo): string => `l:${JSON.stringify(info)}`;

/** A publication read back from the stored body and its offset. */
export function decodePublicationBody(body: string, offset?: number): Publication {
  const parsed = JSON.parse(body) as Publication;
  const pub: Publication = { data: parsed.data };
  if (parsed.info) pub.info = parsed.info;
  if (parsed.tags) pub.tags = parsed.tags;
  if (offset !== undefined) pub.offset = offset;
  return pub;
}

/** Decodes one pub/sub message of `channel`; null (never a throw) for anything malformed. */
export function decodeBrokerMessage(channel: string, text: string): BrokerEvent | null {
  try {
    const kind = text.slice(0, 2);
    if (kind === 'j:' || kind === 'l:') {
      return { kind: kind === 'j:' ? 'join' : 'leave', channel, info: JSON.parse(text.slice(2)) as ClientInfo };
    }
    if (kind !== 'p:') return null;
    const offsetEnd = text.indexOf(':', 2);
    const epochEnd = text.indexOf(':', offsetEnd + 1);
    if (offsetEnd < 0 || epochEnd < 0) return null;
    const offset = text.slice(2, offsetEnd);
    const epoch = text.slice(offsetEnd + 1, epochEnd);
    const body = text.slice(epochEnd + 1);
    const pub = decodePublicationBody(body, offset === '' ? undefined : Number(offset));
    const event: BrokerEvent = epoch === '' ? { kind: 'pub', channel, pub } : { kind: 'pub', channel, pub, epoch };
    if ((JSON.parse(body) as { delta?: boolean }).delta === true) event.delta = true;
    return event;
  } catch {
    return null;
  }
}
