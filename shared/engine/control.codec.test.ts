import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeControlMessage, encodeControlMessage } from './control.codec.js';
import type { EmulationFrame, SupervisorHeartbeat, SurveyAnswer, SurveyAsk } from './control-messages.js';

const BEAT: SupervisorHeartbeat = {
  type: 'supervisor.heartbeat', supervisor: 'sb-a', at: 1,
  nodes: [{
    id: 'node-1', incarnation: 'sb-a/node-1#0', supervisor: 'sb-a', pid: 10, state: 'healthy', uptimeMs: 5, restarts: 0, connections: 1, users: 1,
    subscriptions: 2, messagesInPerSec: 0, messagesOutPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, cpuPercent: 1, rss: 1, heapUsed: 1,
    loopDelayP50Ms: 0, loopDelayP99Ms: 0,
  }],
  totals: { connections: 1, subscriptions: 2, publications: 3 },
};

describe('control message codec', () => {
  it('decodes what it encodes', () => {
    assert.deepEqual(decodeControlMessage(encodeControlMessage(BEAT)), { ok: true, value: BEAT });
  });

  it('refuses text that is not a JSON object, naming why', () => {
    assert.deepEqual(decodeControlMessage('{oops'), { ok: false, error: 'malformed JSON' });
    assert.deepEqual(decodeControlMessage('[1]'), { ok: false, error: 'a control message is a JSON object' });
    assert.deepEqual(decodeControlMessage('null'), { ok: false, error: 'a control message is a JSON object' });
  });

  it('refuses a type outside the allow-list, including inherited property names', () => {
    for (const type of ['node.exploded', 'constructor', '__proto__', 7]) {
      const decoded = decodeControlMessage(JSON.stringify({ ...BEAT, type }));
      assert.equal(decoded.ok, false, String(type));
      assert.match(decoded.ok ? '' : decoded.error, /unknown control message type/);
    }
  });

  it('refuses a heartbeat missing its fields', () => {
    const bad = (patch: object): string => {
      const decoded = decodeControlMessage(JSON.stringify({ ...BEAT, ...patch }));
      return decoded.ok ? 'accepted' : decoded.error;
    };
    assert.match(bad({ supervisor: null }), /supervisor must be a string/);
    assert.match(bad({ at: '1' }), /at must be a number/);
    assert.match(bad({ nodes: [{ id: 'node-1' }] }), /nodes must be a list/);
    assert.match(bad({ totals: { connections: 1 } }), /totals must hold/);
  });

  it('carries what a supervisor counted for the alert rules, and refuses counts that are not whole counts per node', () => {
    const beat: SupervisorHeartbeat = { ...BEAT, alertCounts: { slow: { 'node-1': 3 }, notRecovered: {}, publishErrors: 2 } };
    assert.deepEqual(decodeControlMessage(encodeControlMessage(beat)), { ok: true, value: beat });
    const bad = (alertCounts: unknown): string => {
      const decoded = decodeControlMessage(JSON.stringify({ ...BEAT, alertCounts }));
      return decoded.ok ? 'accepted' : decoded.error;
    };
    assert.match(bad(7), /bad supervisor.heartbeat: alertCounts must be an object/);
    assert.match(bad({ slow: { 'node-1': -1 }, notRecovered: {}, publishErrors: 0 }), /alertCounts.slow must map at most 256 node ids to whole counts/);
    assert.match(bad({ slow: {}, notRecovered: { 'node-1': 'many' }, publishErrors: 0 }), /alertCounts.notRecovered must map/);
    assert.match(bad({ slow: {}, notRecovered: [], publishErrors: 0 }), /alertCounts.notRecovered must map/);
    const many = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`node-${i}`, 1]));
    assert.match(bad({ slow: many, notRecovered: {}, publishErrors: 0 }), /at most 256/);
    assert.match(bad({ slow: {}, notRecovered: {}, publishErrors: 1.5 }), /alertCounts.publishErrors must be a whole count/);
    assert.match(bad({ slow: {}, notRecovered: {} }), /publishErrors/);
  });

  it('carries survey asks and answers, and refuses ones missing their fields', () => {
    const ask: SurveyAsk = { type: 'survey.ask', id: 'sb-a:1', from: 'sb-a', to: ['sb-b'], op: 'channels.rows', params: {} };
    const answer: SurveyAnswer = { type: 'survey.answer', id: 'sb-a:1', from: 'sb-b', to: 'sb-a', result: { rows: [] } };
    assert.deepEqual(decodeControlMessage(encodeControlMessage(ask)), { ok: true, value: ask });
    assert.deepEqual(decodeControlMessage(encodeControlMessage(answer)), { ok: true, value: answer });
    const refused = (m: object): string => {
      const decoded = decodeControlMessage(JSON.stringify(m));
      return decoded.ok ? 'accepted' : decoded.error;
    };
    assert.match(refused({ ...ask, to: 'sb-b' }), /bad survey.ask: to must be a list/);
    assert.match(refused({ ...ask, op: 3 }), /bad survey.ask: id, from and op must be strings/);
    assert.match(refused({ type: 'survey.ask', id: 'x', from: 'a', to: [], op: 'o' }), /params is required/);
    assert.match(refused({ type: 'survey.answer', id: 'x', from: 'a', to: 'b' }), /an answer holds a result or an error/);
    assert.match(refused({ ...answer, error: 5 }), /error must be a string/);
  });

  it('carries emulation frames for another supervisor\'s node, and refuses ones missing their fields', () => {
    const frame: EmulationFrame = { type: 'emulation.frame', to: 'sb-a', node: 'node-1', session: 's-1', data: '{"id":1,"rpc":{}}' };
    assert.deepEqual(decodeControlMessage(encodeControlMessage(frame)), { ok: true, value: frame });
    const decoded = decodeControlMessage(JSON.stringify({ ...frame, data: { id: 1 } }));
    assert.deepEqual(decoded, { ok: false, error: 'bad emulation.frame: to, node, session and data must be strings' });
  });
});
