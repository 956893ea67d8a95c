import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertInstance } from '../../../shared/admin/alerts-model.js';
import { DEFAULT_ALERT_RULES } from '../../../shared/admin/alerts-model.js';
import { bannerText, defaultDraft, draftChanged, draftOf, firingChanges, parseDraft } from './alerts.model.js';

const alert = (id: string, patch: Partial<AlertInstance> = {}): AlertInstance => ({
  id, rule: 'loop-delay', severity: 'warning', node: 'node-1', state: 'firing', since: 1000, value: 300, threshold: 200, text: `alert ${id}`, ...patch,
});

describe('the alert rules editor', () => {
  it('turns the defaults into a draft and back into the same rules', () => {
    const parsed = parseDraft(defaultDraft());
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, DEFAULT_ALERT_RULES.map((r) => ({ ...r })));
  });

  it('marks each bad field on its own rule, in words', () => {
    const draft = defaultDraft().map((d) => {
      if (d.kind === 'loop-delay') return { ...d, threshold: '' };
      if (d.kind === 'connections-capacity') return { ...d, threshold: '120' };
      if (d.kind === 'rss') return { ...d, forSeconds: '2.5' };
      return d;
    });
    const parsed = parseDraft(draft);
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.error['loop-delay'], 'the threshold must be a number');
    assert.equal(parsed.error['connections-capacity'], 'threshold 120 % is out of range (1–100 %)');
    assert.match(parsed.error.rss ?? '', /"for" must be whole seconds from 0 to 3600, not 2.5/);
    assert.equal(parsed.error['node-unhealthy'], undefined);
  });

  it('sees a change only where the draft differs from the saved rules (1 and 1.0 are the same)', () => {
    const rules = DEFAULT_ALERT_RULES.map((r) => ({ ...r }));
    assert.equal(draftChanged(draftOf(rules), rules), false);
    assert.equal(draftChanged(draftOf(rules).map((d) => (d.kind === 'rss' ? { ...d, threshold: '1024.0' } : d)), rules), false);
    assert.equal(draftChanged(draftOf(rules).map((d) => (d.kind === 'rss' ? { ...d, enabled: false } : d)), rules), true);
  });
});

describe('firing alerts', () => {
  it('tells which alerts fired and which resolved between two firing sets', () => {
    const { fired, resolved } = firingChanges([alert('a'), alert('b')], [alert('b'), alert('c')]);
    assert.deepEqual(fired.map((a) => a.id), ['c']);
    assert.deepEqual(resolved.map((a) => a.id), ['a']);
  });

  it('names the one alert in the banner, or counts them with the most severe first', () => {
    assert.equal(bannerText([]), '');
    assert.equal(bannerText([alert('a', { text: 'node-1: event-loop delay 300 ms over 200 ms' })]), 'Alert: node-1: event-loop delay 300 ms over 200 ms');
    const text = bannerText([alert('a', { text: 'slow' }), alert('b', { severity: 'critical', text: 'node-2 unhealthy (hung)', since: 5000 })]);
    assert.equal(text, '2 alerts firing — node-2 unhealthy (hung), and 1 more');
  });
});
