import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NODE_V8_FLAGS, SUPERVISOR_V8_FLAGS } from '../../shared/v8-flags.js';
import { nodeEntry } from './node-entry.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('V8 flags of the processes', () => {
  it('forks every node with the node flags, before its loader', () => {
    const argv = nodeEntry().execArgv;
    assert.deepEqual(argv.slice(0, NODE_V8_FLAGS.length), [...NODE_V8_FLAGS]);
  });

  it('forks every node with the flags it is given instead, and with none when given none', () => {
    assert.deepEqual(nodeEntry(['--expose-gc']).execArgv.filter((a) => a.startsWith('--') && a !== '--import'), ['--expose-gc']);
    assert.deepEqual(nodeEntry([]).execArgv.filter((a) => a.startsWith('--') && a !== '--import'), []);
  });

  it('starts the supervisor from bin/switchboard.js with the supervisor flags', () => {
    const bin = read('../../bin/switchboard.js');
    const listed = /const V8_FLAGS = (\[[^\]]*\]);/.exec(bin)?.[1];
    assert.ok(listed, 'bin/switchboard.js lists its V8 flags');
    assert.deepEqual(JSON.parse(listed.replaceAll("'", '"')), [...SUPERVISOR_V8_FLAGS]);
    assert.match(bin, /spawn\(process\.execPath, \[\.\.\.V8_FLAGS,/);
  });

  it('runs npm run serve through bin/switchboard.js', () => {
    const scripts = (JSON.parse(read('../../package.json')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.serve!, /node bin\/switchboard\.js serve$/);
  });
});
