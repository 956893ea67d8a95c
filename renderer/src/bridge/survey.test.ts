import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unansweredOf, unansweredText } from './survey.js';

describe('supervisors that did not answer a survey', () => {
  it('reads the list from a result only when it names someone', () => {
    assert.deepEqual(unansweredOf({ kicked: 1, unanswered: ['sb-a'] }), ['sb-a']);
    assert.equal(unansweredOf({ kicked: 1, unanswered: [] }), null);
    assert.equal(unansweredOf({ kicked: 1 }), null);
    assert.equal(unansweredOf({ unanswered: 'sb-a' }), null);
    assert.equal(unansweredOf(null), null);
  });

  it('names one or several, with what is missing because of them', () => {
    assert.equal(unansweredText(['sb-a'], 'connections there are not listed'), 'Supervisor sb-a did not answer in time: connections there are not listed');
    assert.equal(unansweredText(['sb-a', 'sb-c', 'sb-d'], 'x'), 'Supervisors sb-a, sb-c and sb-d did not answer in time: x');
    assert.equal(unansweredText([], 'x'), null);
    assert.equal(unansweredText(undefined, 'x'), null);
  });
});
