import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminResults } from '../../../../../shared/admin/admin-api.js';
import { AROUND, jumpOutcome, jumpRequest, readOffset } from './history-jump.js';

function detail(top: number, kept: number[], historyEnabled = true): AdminResults['channel.get'] {
  return {
    channel: 'feed:x', namespace: 'feed', subscribers: 0, nodes: 0, publicationsPerSec: 0, presenceEnabled: false, historyEnabled, typing: false, presence: [],
    history: historyEnabled ? { offset: top, epoch: 'E', publications: kept.map((offset) => ({ data: { offset }, offset })).reverse() } : null,
  };
}

describe('inspector history jump', () => {
  it('asks for the page with the offset in its middle', () => {
    assert.deepEqual(jumpRequest('feed:x', 100), { channel: 'feed:x', historyLimit: AROUND * 2 + 1, historyBefore: 100 + AROUND + 1 });
  });

  it('reads an offset with separators or a leading #, and refuses what is not one', () => {
    assert.deepEqual(readOffset(' #1,200 '), { ok: true, offset: 1200 });
    assert.equal(readOffset('12a').ok, false);
    assert.equal(readOffset('0').ok, false);
  });

  it('answers the page oldest first when the offset is kept', () => {
    const r = jumpOutcome(95, detail(100, [90, 95, 100]));
    assert.ok(r.ok);
    assert.deepEqual(r.publications.map((p) => p.offset), [90, 95, 100]);
  });

  it('says the oldest kept offset when the offset left the history', () => {
    assert.deepEqual(jumpOutcome(5, detail(100, [80, 81])), { ok: false, message: 'Offset 5 is no longer in the kept history: the oldest kept is 80.' });
    assert.match((jumpOutcome(5, detail(100, [])) as { message: string }).message, /history around it is empty/);
  });

  it('says the stream has not reached an offset past its top', () => {
    assert.deepEqual(jumpOutcome(101, detail(100, [100])), { ok: false, message: 'Offset 101 is not there yet: the stream is at offset 100.' });
  });

  it('says a channel without history has nothing to jump to', () => {
    assert.match((jumpOutcome(1, detail(0, [], false)) as { message: string }).message, /keeps no history/);
  });
});
