import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveProblems, resolveValid } from './resolve-config.test-helper.js';

const resolve = (file: unknown) => resolveValid(file).config;
const problems = (file: unknown): string[] => resolveProblems(file);

describe('supervisor id (cluster.name)', () => {
  it('is sb- and 6 base32 characters by default, a new one each time', () => {
    const a = resolve(undefined).name;
    const b = resolve(undefined).name;
    assert.match(a, /^sb-[a-z2-7]{6}$/);
    assert.notEqual(a, b);
  });

  it('is taken from cluster.name in the config file', () => {
    assert.equal(resolve({ cluster: { name: 'eu-west.1' } }).name, 'eu-west.1');
  });

  it('rejects a name with a slash, a hash or nothing in it, naming the option', () => {
    for (const name of ['a/b', 'node#1', '', '-lead']) {
      const found = problems({ cluster: { name } });
      assert.ok(found.some((p) => p.startsWith('cluster.name') && /letters, digits/.test(p)), `${name}: ${found.join('\n')}`);
    }
  });
});

describe('client.presence_update_interval', () => {
  it('is 25 s by default and read from the file', () => {
    assert.equal(resolve(undefined).client.presenceUpdateIntervalMs, 25_000);
    assert.equal(resolve({ client: { presence_update_interval: '10s' } }).client.presenceUpdateIntervalMs, 10_000);
  });

  it('rejects an interval not below the 60 s presence TTL', () => {
    const found = problems({ client: { presence_update_interval: '60s' } });
    assert.ok(found.some((p) => p.startsWith('client.presence_update_interval') && /60s/.test(p)), found.join('\n'));
  });
});
