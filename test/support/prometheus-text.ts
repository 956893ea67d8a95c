/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4) for tests: every line
 * must be a `# HELP`, a `# TYPE` or a sample of a declared family, no series may appear twice, and
 * every family needs its HELP. Used by the metrics unit test and the integration test alike.
 */
import assert from 'node:assert/strict';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Family name → declared type. */
  types: Map<string, string>;
  samples: Sample[];
  /** The one sample of `name` whose labels include `labels`; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The sum over every sample of `name` whose labels include `labels` (0 when there is none). */
  sum(name: string, labels?: Record<string, string>): number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
/** Values are read as Go's ParseFloat reads them (the format says so): NaN and Inf in any case. */
const NUMBER = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[+-]?inf(?:inity)?|nan)$/i;
/** The sample-name suffixes each type allows after its family name. */
const SUFFIXES: Record<string, string[]> = {
  counter: [''], gauge: [''], untyped: [''], histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'],
};

/** Parses a whole scrape, failing the test (with the line) at the first thing the format does not allow. */
export function parseExposition(text: string): Exposition {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  const series = new Set<string>();
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${i + 1} (${line})`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      parseComment(line, where, types, helps);
      continue;
    }
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, types);
    assert.ok(family !== null, `${where}: no # TYPE declared its family before it`);
    if (types.get(family) === 'histogram' && sample.name.endsWith('_bucket')) assert.ok('le' in sample.labels, `${where}: a bucket without le`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    assert.ok(!series.has(key), `${where}: the same series twice`);
    series.add(key);
    samples.push(sample);
  }
  for (const name of types.keys()) assert.ok(helps.has(name), `${name} has no # HELP`);
  const matching = (name: string, labels: Record<string, string>): Sample[] =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const value = (name: string, labels: Record<string, string> = {}): number | undefined => {
    const found = matching(name, labels);
    assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
    return found[0]?.value;
  };
  const sum = (name: string, labels: Record<string, string> = {}): number =>
    matching(name, labels).reduce((total, s) => total + s.value, 0);
  return { types, samples, value, sum };
}

function parseComment(line: string, where: string, types: Map<string, string>, helps: Set<string>): void {
  const help = /^# HELP (\S+) (.*)$/.exec(line);
  const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
  const name = help?.[1] ?? type?.[1];
  assert.ok(name !== undefined && METRIC_NAME.test(name), `${where}: not a # HELP or # TYPE line`);
  assert.ok(!(type ? types.has(name) : helps.has(name)), `${where}: declared twice`);
  if (type) types.set(name, type[2]!);
  else helps.add(name);
}

function parseSample(line: string, where: string): Sample {
  const m = SAMPLE_LINE.exec(line);
  assert.ok(m, `${where}: not a sample line`);
  const raw = m[3]!;
  assert.ok(NUMBER.test(raw), `${where}: the value is not a number`);
  const text = raw.toLowerCase().replace(/^\+/, '');
  const value = text === 'nan' ? NaN : /inf/.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text);
  return { name: m[1]!, labels: parseLabels(m[2] ?? '', where), value };
}

function parseLabels(body: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < body.length) {
    const m = LABEL.exec(body);
    assert.ok(m, `${where}: a malformed label`);
    const key = m[1]!;
    assert.ok(!(key in labels), `${where}: label ${key} twice`);
    labels[key] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (m[3] === '') break;
  }
  return labels;
}

function familyOf(name: string, types: Map<string, string>): string | null {
  for (const [type, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      const base = name.slice(0, name.length - suffix.length);
      if (name.endsWith(suffix) && types.get(base) === type) return base;
    }
  }
  return null;
}
