import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PARAMS } from '../../../shared/admin/admin-api.js';
import type { SimulatorParams } from '../../../shared/admin/simulator-model.js';
import type { SimDraft } from './simulator.model.js';
import {
  checkDraft, DEFAULT_DRAFT, describeParams, describePlan, describeRefusal, fieldRange, fmtSeconds, parseSeconds, planRun,
} from './simulator.model.js';

const draft = (patch: Partial<SimDraft>): SimDraft => ({ ...DEFAULT_DRAFT, ...patch });
const params: SimulatorParams = { profile: 'chat', clients: 20, channels: 2, rate: 2, rampSeconds: 1, durationSeconds: 60 };

describe('the simulator start form', () => {
  it('turns the default form into the CLI\'s and the admin API\'s defaults', () => {
    const c = checkDraft(DEFAULT_DRAFT);
    assert.ok(c.ok);
    assert.deepEqual(c.params, { profile: 'chat', clients: 1000, channels: 50, rate: 1, rampSeconds: 10, durationSeconds: 60 });
    assert.deepEqual(c.warnings, []);
  });

  it('sends only params the admin API\'s own schema accepts', () => {
    const c = checkDraft(draft({ profile: 'flaky', clients: '20,000', channels: '10000', rate: '0.5', ramp: '10m', duration: '24h' }));
    assert.ok(c.ok);
    assert.deepEqual(c.params, { profile: 'flaky', clients: 20_000, channels: 10_000, rate: 0.5, rampSeconds: 600, durationSeconds: 86_400 });
    assert.ok(ADMIN_PARAMS['simulator.start'].safeParse(c.params).success);
  });

  it('names every field out of SIM_LIMITS before anything is sent', () => {
    const c = checkDraft(draft({ clients: '20001', channels: '0', rate: '1001', ramp: '11m', duration: '0.5s' }));
    assert.ok(!c.ok);
    assert.deepEqual(c.errors, {
      clients: 'At most 20,000', channels: 'At least 1', rate: 'At most 1,000', ramp: 'At most 10m', duration: 'At least 1s',
    });
  });

  it('refuses fractions of a client, words, and empty fields, and says what it wants', () => {
    const c = checkDraft(draft({ clients: '2.5', channels: 'ten', rate: '', ramp: '10 minutes', duration: '-5' }));
    assert.ok(!c.ok);
    assert.deepEqual(c.errors, {
      clients: 'A whole number, like 500', channels: 'A whole number, like 500', rate: 'Required',
      ramp: 'A duration, like 30s, 2m or 1h30m', duration: 'A duration, like 30s, 2m or 1h30m',
    });
  });

  it('does not take a comma in the rate for a decimal point', () => {
    const c = checkDraft(draft({ rate: '1,5' }));
    assert.ok(!c.ok && c.errors.rate === 'A number, like 2 or 0.5');
  });

  it('accepts a rate of 0 (connections only) and a ramp of 0', () => {
    const c = checkDraft(draft({ rate: '0', ramp: '0' }));
    assert.ok(c.ok && c.params.rate === 0 && c.params.rampSeconds === 0);
  });

  it('warns, without refusing, when channels outnumber clients or the ramp leaves no time to publish', () => {
    const c = checkDraft(draft({ clients: '5', channels: '10', ramp: '60s', duration: '60s' }));
    assert.ok(c.ok);
    assert.deepEqual(c.warnings, [
      '10 channels for 5 clients: the fleet uses 5, one bot each.',
      'Nothing will be published: the ramp (1m) and the final drain (5s) fill the whole 1m.',
    ]);
  });

  it('shows each field\'s range the way it is typed', () => {
    assert.equal(fieldRange('clients'), '1 to 20,000');
    assert.equal(fieldRange('rate'), '0 to 1,000');
    assert.equal(fieldRange('ramp'), '0s to 10m');
    assert.equal(fieldRange('duration'), '1s to 24h');
  });
});

describe('simulator durations', () => {
  it('reads durations as the CLI does: a bare number is seconds, units ms, s, m and h combine', () => {
    assert.equal(parseSeconds('90'), 90);
    assert.equal(parseSeconds(' 1m30s '), 90);
    assert.equal(parseSeconds('1.5h'), 5400);
    assert.equal(parseSeconds('500ms'), 0.5);
    assert.equal(parseSeconds('2 m'), 120);
    assert.equal(parseSeconds('1d'), null);
    assert.equal(parseSeconds('m'), null);
    assert.equal(parseSeconds(''), null);
  });

  it('writes seconds short: 45s, 1m 30s, 24h', () => {
    assert.equal(fmtSeconds(45), '45s');
    assert.equal(fmtSeconds(0.5), '0.5s');
    assert.equal(fmtSeconds(90), '1m 30s');
    assert.equal(fmtSeconds(3599.9), '1h');
    assert.equal(fmtSeconds(86_400), '24h');
  });
});

describe('what a run will do', () => {
  it('counts bot processes, bots per channel, publications and deliveries per second', () => {
    assert.deepEqual(planRun({ ...params, clients: 5000, channels: 50, rate: 1, rampSeconds: 10, durationSeconds: 45 }), {
      processes: 2, channels: 50, perChannel: [100, 100], publicationsPerSec: 50, deliveriesPerSec: 5000, publishSeconds: 30,
    });
    assert.deepEqual(planRun({ ...params, clients: 7, channels: 10 }).perChannel, [1, 1], 'channels capped at clients');
    assert.deepEqual(planRun({ ...params, clients: 25, channels: 2 }).perChannel, [12, 13]);
  });

  it('says the plan in one line, typing mentioned for chat only', () => {
    assert.equal(describePlan(params),
      '20 bots in 1 bot process · 2 channels of 10 · 4 publications/s → ≈ 40 deliveries/s (plus typing) · publishing for ≈ 54s');
    assert.equal(describePlan({ ...params, profile: 'feed', rate: 0 }), '20 bots in 1 bot process · 2 channels of 10 · connections only, nothing published');
  });

  it('describes a run\'s parameters with the rate exact', () => {
    assert.equal(describeParams({ ...params, rate: 0.25, durationSeconds: 90 }), '20 chat clients on 2 channels, 0.25/s per channel, ramp 1s, 1m 30s');
  });
});

describe('a refused start', () => {
  it('says why a start was refused, naming a conflict as such', () => {
    assert.equal(describeRefusal(409, 'a simulation is already running: stop it first (simulator.stop)'),
      'The cluster refused the start (409, conflict): a simulation is already running: stop it first (simulator.stop)');
    assert.match(describeRefusal(400, 'invalid params'), /refused the parameters \(400\)/);
    assert.equal(describeRefusal(0, 'not connected to the cluster'), 'Not started: not connected to the cluster');
  });
});
