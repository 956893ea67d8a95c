import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveProblems, resolveValid } from './resolve-config.test-helper.js';

const resolve = resolveValid;
const problems = resolveProblems;

describe('engine configuration', () => {
  it('runs on the memory engine when neither the file nor a flag names one', () => {
    assert.deepEqual(resolve(undefined).config.engine, {
      type: 'memory', redis: { address: 'redis://127.0.0.1:6379', prefix: 'switchboard' },
    });
  });

  it('reads the Centrifugo v6 engine section, without a warning', () => {
    const { config, warnings } = resolve({ engine: { type: 'redis', redis: { address: 'redis://10.0.0.5:6380', prefix: 'chat' } } });
    assert.deepEqual(config.engine, { type: 'redis', redis: { address: 'redis://10.0.0.5:6380', prefix: 'chat' } });
    assert.deepEqual(warnings, []);
  });

  it('accepts the address as a one-item list, as Centrifugo writes it, and refuses several', () => {
    assert.equal(resolve({ engine: { type: 'redis', redis: { address: ['redis://h:1'] } } }).config.engine.redis.address, 'redis://h:1');
    assert.match(problems({ engine: { redis: { address: ['redis://a:1', 'redis://b:1'] } } })[0] ?? '', /^engine\.redis\.address: .*one address only/);
  });

  it('lets --engine and --redis-url override the file, --redis-url alone meaning redis', () => {
    const file = { engine: { type: 'memory', redis: { address: 'redis://file:1', prefix: 'p' } } };
    assert.deepEqual(resolve(file, { engine: 'redis' }).config.engine, { type: 'redis', redis: { address: 'redis://file:1', prefix: 'p' } });
    assert.deepEqual(resolve(file, { redisUrl: 'redis://flag:2' }).config.engine, { type: 'redis', redis: { address: 'redis://flag:2', prefix: 'p' } });
  });

  it('reads presence_ttl as a duration, and refuses one that is not positive', () => {
    assert.equal(resolve({ engine: { type: 'redis', redis: { presence_ttl: '90s' } } }).config.engine.redis.presenceTtlMs, 90_000);
    assert.match(problems({ engine: { redis: { presence_ttl: '0s' } } })[0] ?? '', /^engine\.redis\.presence_ttl: must be greater than 0/);
  });

  it('rejects a bad type, address, prefix or unknown key, naming the path', () => {
    assert.deepEqual(problems({ engine: { type: 'nats' } }).map((p) => p.split(':')[0]), ['engine.type']);
    assert.match(problems({ engine: { redis: { address: 'localhost:6379' } } })[0] ?? '', /^engine\.redis\.address: .*redis:\/\//);
    assert.match(problems({ engine: { redis: { prefix: 'a{b}' } } })[0] ?? '', /^engine\.redis\.prefix: must be/);
    assert.match(problems({ engine: { redis: { adress: 'redis://h:1' } } })[0] ?? '', /^engine\.redis\.adress: unknown/);
  });

  it('rejects a bad --engine or --redis-url, and --redis-url with --engine memory, naming the flag', () => {
    assert.deepEqual(problems(undefined, { engine: 'nats' as 'redis' }), ['--engine must be one of memory, redis (got nats)']);
    assert.match(problems(undefined, { redisUrl: 'http://h:1' })[0] ?? '', /^--redis-url: "http:\/\/h:1" must start with redis:\/\//);
    assert.deepEqual(problems(undefined, { engine: 'memory', redisUrl: 'redis://h:1' }), ['--redis-url needs --engine redis (it is memory)']);
  });
});
