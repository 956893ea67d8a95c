import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addAcc, addSample, decodeLine, emptyAcc, encodeSample, encodeStep, toPoint } from './history-record.js';

const sample = (c: number): number[] => [c, 1, 2 * c, 3, 4, c / 2, c, 1000 * c];

describe('history records', () => {
  it('average every figure over a step and keep the peaks of connections, CPU, loop delay and memory', () => {
    const acc = emptyAcc();
    for (const c of [2, 4, 9]) addSample(acc, sample(c));
    const p = toPoint(0, acc);
    assert.deepEqual(
      [p.connections, p.messagesOutPerSec, p.cpuPercent, p.rssBytes, p.connectionsMax, p.cpuPercentMax, p.loopDelayP99MsMax, p.rssBytesMax, p.samples],
      [5, 10, 2.5, 5000, 9, 4.5, 9, 9000, 3],
    );
  });

  it('merge two steps weighted by their samples', () => {
    const a = emptyAcc();
    addSample(a, sample(1));
    const b = emptyAcc();
    for (const c of [4, 4, 4]) addSample(b, sample(c));
    addAcc(a, b);
    assert.equal(toPoint(0, a).connections, 3.3, '(1 + 3 × 4) / 4, to 0.1');
    assert.equal(toPoint(0, a).connectionsMax, 4);
  });

  it('survive a round trip through a line, as a sample and as a rollup step', () => {
    const s = decodeLine(encodeSample(5, new Map([['total', sample(3)]])))!;
    assert.equal(s.at, 5);
    assert.deepEqual(toPoint(5, s.series.get('total')!).connections, 3);
    const acc = emptyAcc();
    for (const c of [1, 2, 3]) addSample(acc, sample(c));
    const r = decodeLine(encodeStep({ at: 10_000, series: new Map([['node-1', acc]]) }))!;
    assert.deepEqual(toPoint(10_000, r.series.get('node-1')!), toPoint(10_000, acc));
  });

  it('turn a torn or foreign line into null, and drop a series of the wrong shape', () => {
    assert.equal(decodeLine('{"at":5,"s":{"total":[1,2,'), null);
    assert.equal(decodeLine('[1,2,3]'), null);
    assert.equal(decodeLine('{"s":{}}'), null);
    const rec = decodeLine('{"at":5,"s":{"total":[1,2,3],"node-1":[1,2,3,4,5,6,7,8]}}')!;
    assert.deepEqual([...rec.series.keys()], ['node-1']);
  });
});
