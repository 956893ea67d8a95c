import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SimulatorParams, SimulatorStatus } from '../../../shared/admin/simulator-model.js';
import { emptySimulatorCounts } from '../../../shared/admin/simulator-model.js';
import { agreement, agreementSentence, countTone, expectedReceived, isActive, receivedPerSec, runProgress } from './simulator-run.model.js';

const params: SimulatorParams = { profile: 'chat', clients: 20, channels: 2, rate: 2, rampSeconds: 1, durationSeconds: 60 };
const status = (patch: Partial<SimulatorStatus> = {}, counts: Partial<SimulatorStatus['counts']> = {}): SimulatorStatus => ({
  id: 'sim-1', params, state: 'running', startedAt: 1, elapsedMs: 15_000, pids: [10, 11], counts: { ...emptySimulatorCounts(), ...counts }, ...patch,
});

describe('a run\'s figures', () => {
  it('is active until it finished or failed', () => {
    assert.deepEqual((['starting', 'ramping', 'running', 'draining', 'finished', 'failed'] as const).map(isActive), [true, true, true, true, false, false]);
  });

  it('tells how far a run is, and keeps the share a run stopped early had run', () => {
    assert.deepEqual(runProgress(status({ elapsedMs: 15_000 })), { fraction: 0.25, leftMs: 45_000 });
    assert.deepEqual(runProgress(status({ elapsedMs: 70_000, state: 'draining' })), { fraction: 1, leftMs: 0 });
    assert.deepEqual(runProgress(status({ elapsedMs: 6_000, state: 'finished' })), { fraction: 0.1, leftMs: 0 });
  });

  it('says the console and the fleet agree when their counts are equal', () => {
    assert.deepEqual(agreement(20, 20, 'running'), { tone: 'ok', text: 'agree' });
    assert.equal(agreementSentence(20, 20, 'connection', 'connected'), 'console says 20 connections, fleet says 20 connected');
    assert.equal(agreementSentence(1, 1, 'connection', 'connected'), 'console says 1 connection, fleet says 1 connected');
  });

  it('calls a difference settling while bots connect, and worth a look once the fleet is steady', () => {
    assert.equal(agreement(12, 15, 'ramping').tone, 'info');
    const more = agreement(23, 20, 'running');
    assert.equal(more.tone, 'warn');
    assert.match(more.text, /console counts 3 more: other clients/);
    assert.match(agreement(18, 20, 'running').text, /console counts 2 fewer/);
    assert.deepEqual(agreement(undefined, 20, 'running'), { tone: 'info', text: 'waiting for the cluster\'s snapshot' });
  });

  it('flags lost, duplicated and out-of-order publications once they are not zero', () => {
    assert.equal(countTone('lost', 0), null);
    assert.equal(countTone('lost', 3), 'bad');
    assert.equal(countTone('duplicated', 1), 'bad');
    assert.equal(countTone('outOfOrder', 1), 'bad');
    assert.equal(countTone('notRecovered', 2), 'warn');
    assert.equal(countTone('recovered', 5), null, 'recoveries are good news');
  });

  it('expects every publication at every bot of its channel, when the channels are of one size', () => {
    assert.equal(expectedReceived(params, 12), 120);
    assert.equal(expectedReceived({ ...params, clients: 25 }, 12), null);
    assert.equal(expectedReceived({ ...params, clients: 5, channels: 10 }, 4), 4, 'channels capped at clients: one bot each');
  });

  it('works out deliveries per second from two statuses of the same run only', () => {
    const a = status({ elapsedMs: 10_000 }, { received: 100 });
    const b = status({ elapsedMs: 12_000 }, { received: 180 });
    assert.equal(receivedPerSec(a, b), 40);
    assert.equal(receivedPerSec(null, b), null);
    assert.equal(receivedPerSec({ ...a, id: 'sim-0' }, b), null);
  });

});
