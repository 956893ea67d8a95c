import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDelta } from 'fossil-delta';
import { encodePublication } from '../../shared/protocol/client.codec.js';
import type { Json } from '../../shared/protocol/client-protocol.js';
import { DeltaForms, asciiJson } from './delta-frames.js';

/** What centrifuge-js does with a publication of a delta subscription (its codec's applyDeltaIfNeeded). */
function clientReads(pub: { data: string; delta?: boolean }, prev: Uint8Array | undefined): { value: unknown; prev: Uint8Array } {
  if (pub.delta) {
    const bytes = applyDelta(prev!, new TextEncoder().encode(pub.data));
    return { value: JSON.parse(new TextDecoder().decode(bytes)), prev: bytes };
  }
  return { value: JSON.parse(pub.data), prev: new TextEncoder().encode(pub.data) };
}

const pubOf = (frame: string): { data: string; delta?: boolean; offset?: number } =>
  (JSON.parse(frame) as { push: { pub: { data: string; delta?: boolean; offset?: number } } }).push.pub;

describe('delta frames', () => {
  it('writes JSON text with every non-ASCII character escaped, the same value when parsed', () => {
    const value = { name: 'Zoë', city: '東京', emoji: '😀', n: 1 };
    const text = asciiJson(value);
    assert.match(text, /^[\x20-\x7e]*$/);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('gives the full frame with data as JSON text, keeping offset and info', () => {
    const frame = encodePublication('doc:1', { data: { a: 1 }, offset: 7, info: { user: 'u', client: 'c' } });
    const full = JSON.parse(new DeltaForms(frame).full) as { push: { channel: string; pub: Record<string, unknown> } };
    assert.deepEqual(full, { push: { channel: 'doc:1', pub: { data: '{"a":1}', offset: 7, info: { user: 'u', client: 'c' } } } });
  });

  it('gives a delta the real client turns back into the publication, also for non-ASCII data', () => {
    let prevValue: Uint8Array | undefined;
    let prevText: string | undefined;
    const values: Json[] = [];
    for (let i = 0; i < 6; i++) {
      values.push({ title: 'Café déjà vu — 東京', score: i, items: Array.from({ length: 40 }, (_, k) => ({ k, v: `valeur ${k} ✓` })), tail: i % 2 === 0 ? '😀' : 'x' });
    }
    let deltas = 0;
    values.forEach((value, i) => {
      const forms = new DeltaForms(encodePublication('doc:1', { data: value, offset: i + 1 }));
      const frame = prevText === undefined ? forms.full : forms.deltaFrom(prevText);
      const pub = pubOf(frame);
      if (pub.delta) deltas++;
      const read = clientReads(pub, prevValue);
      assert.deepEqual(read.value, value, `publication ${i + 1}`);
      prevValue = read.prev;
      prevText = forms.text;
    });
    assert.equal(deltas, 5, 'every publication after the first went as a delta');
  });

  it('sends the full text when a delta would not be shorter', () => {
    const forms = new DeltaForms(encodePublication('c', { data: 'b', offset: 2 }));
    assert.equal(forms.deltaFrom('"a"'), forms.full);
  });
});
