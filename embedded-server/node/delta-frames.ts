/**
 * Publication frames for subscribers that negotiated fossil deltas (Centrifugo's delta compression,
 * JSON protocol). Such a subscriber reads every publication's `data` as JSON text: the full text, or
 * with `delta: true` a fossil delta (the maintained `fossil-delta` package) from the text of the
 * publication before it. The text is JSON with every non-ASCII character escaped (`\uXXXX`), so its
 * bytes are ASCII and so are the delta's: a delta survives the trip through a JSON string whatever
 * the data holds (a delta cut inside a multi-byte character would not).
 */
import { createDelta } from 'fossil-delta';
import type { Json, Publication } from '../../shared/protocol/client-protocol.js';

/** What a publication frame (shared/protocol/client.codec.ts encodePublication) holds. */
interface PublicationPush {
  channel: string;
  pub: Publication;
}

/** `JSON.stringify` with every character above U+007F written as `\uXXXX` (still the same JSON value). */
export function asciiJson(value: Json): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A publication as a delta subscriber reads it in full: `data` replaced by its JSON text. */
export function fullPublication(pub: Publication, text: string): Publication {
  return { ...pub, data: text };
}

/** The two frames of one publication for delta subscribers, built on demand from the frame everyone else gets. */
export class DeltaForms {
  private parsed: PublicationPush | undefined;
  private textCache: string | undefined;
  private fullCache: string | undefined;

  constructor(private readonly frame: string) {}

  /** The publication's data as ASCII JSON text: what the next delta is computed from. */
  get text(): string {
    this.textCache ??= asciiJson(this.push().pub.data);
    return this.textCache;
  }

  /** The frame with `data` as JSON text. */
  get full(): string {
    if (this.fullCache === undefined) {
      const { channel, pub } = this.push();
      this.fullCache = JSON.stringify({ push: { channel, pub: fullPublication(pub, this.text) } });
    }
    return this.fullCache;
  }

  /** The frame with `data` as the fossil delta from `previous` (text of the publication before), or the full frame when that is not shorter. */
  deltaFrom(previous: string): string {
    const delta = fossilDelta(previous, this.text);
    if (delta.length >= this.text.length) return this.full;
    const { channel, pub } = this.push();
    return JSON.stringify({ push: { channel, pub: { ...pub, data: delta, delta: true } } });
  }

  private push(): PublicationPush {
    this.parsed ??= (JSON.parse(this.frame) as { push: PublicationPush }).push;
    return this.parsed;
  }
}

/** The fossil delta between two ASCII texts, as text (its bytes are ASCII too). */
export function fossilDelta(source: string, target: string): string {
  const bytes = createDelta(ascii(source), ascii(target));
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
