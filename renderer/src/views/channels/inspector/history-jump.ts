/**
 * "Jump to offset": which history page to ask for (the publications around the offset, via
 * `channel.get` with `historyBefore`) and what the answer means. Pure.
 */
import type { AdminParamsInput, AdminResults } from '../../../../../shared/admin/admin-api.js';
import type { Publication } from '../../../../../shared/protocol/client-protocol.js';

/** Publications asked for on each side of the offset. */
export const AROUND = 10;

export type JumpOutcome =
  | { ok: true; offset: number; epoch: string; publications: Publication[] }
  | { ok: false; message: string };

/** The offset typed in, or why it is not one. */
export function readOffset(text: string): { ok: true; offset: number } | { ok: false; message: string } {
  const t = text.trim().replace(/^#/, '').replace(/[,_\s]/g, '');
  if (!/^\d+$/.test(t)) return { ok: false, message: 'Type an offset: a whole number from 1 (e.g. 1200).' };
  const offset = Number(t);
  if (offset < 1 || !Number.isSafeInteger(offset)) return { ok: false, message: 'Offsets start at 1.' };
  return { ok: true, offset };
}

/** The `channel.get` that reads the page with the offset in its middle, oldest side included. */
export function jumpRequest(channel: string, offset: number): AdminParamsInput<'channel.get'> {
  return { channel, historyLimit: AROUND * 2 + 1, historyBefore: offset + AROUND + 1 };
}

/** What the page says about the offset: its publications (oldest first), or why it is not there. */
export function jumpOutcome(offset: number, detail: AdminResults['channel.get']): JumpOutcome {
  if (!detail.historyEnabled) return { ok: false, message: 'This channel keeps no history (its namespace has none), so there is nothing to jump to.' };
  const history = detail.history;
  if (!history) return { ok: false, message: 'The history could not be read.' };
  if (offset > history.offset) {
    return { ok: false, message: `Offset ${fmt(offset)} is not there yet: the stream is at offset ${fmt(history.offset)}.` };
  }
  const publications = [...history.publications].sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
  if (!publications.some((p) => p.offset === offset)) {
    const oldest = publications[0]?.offset;
    return {
      ok: false,
      message: oldest === undefined
        ? `Offset ${fmt(offset)} is no longer kept: the history around it is empty (expired or removed).`
        : `Offset ${fmt(offset)} is no longer in the kept history: the oldest kept is ${fmt(oldest)}.`,
    };
  }
  return { ok: true, offset, epoch: history.epoch, publications };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
