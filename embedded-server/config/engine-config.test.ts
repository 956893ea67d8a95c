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
  it('reads Centrifugo v6\'s sentinel settings and the master\'s user, password and db', () => {
    const { config, warnings } = resolve({ engine: { type: 'redis', redis: {
      sentinel_address: ['127.0.0.1:26379', '[::1]:26380'], sentinel_master_name: 'mymaster',
      sentinel_user: 'watcher', sentinel_password: 's3', user: 'app', password: 'p4', db: 2,
    } } });
    assert.deepEqual(config.engine.redis, {
      address: 'redis://127.0.0.1:6379', prefix: 'switchboard', user: 'app', password: 'p4', db: 2,
      sentinel: { addresses: [{ host: '127.0.0.1', port: 26379 }, { host: '::1', port: 26380 }], masterName: 'mymaster', user: 'watcher', password: 's3' },
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(resolve({ engine: { redis: { sentinel_address: 'h:1', sentinel_master_name: 'm' } } }).config.engine.redis.sentinel?.addresses, [{ host: 'h', port: 1 }]);
  });

  it('refuses sentinel settings that cannot work, saying what to change', () => {
    assert.match(problems({ engine: { redis: { sentinel_address: ['h:1'] } } })[0] ?? '', /^engine\.redis\.sentinel_address: needs sentinel_master_name/);
    assert.match(problems({ engine: { redis: { sentinel_master_name: 'm' } } })[0] ?? '', /^engine\.redis\.sentinel_master_name: needs sentinel_address/);
    assert.match(problems({ engine: { redis: { sentinel_password: 'x' } } })[0] ?? '', /^engine\.redis\.sentinel_password: needs sentinel_address/);
    assert.match(problems({ engine: { redis: { sentinel_address: ['redis://h:1'], sentinel_master_name: 'm' } } })[0] ?? '', /^engine\.redis\.sentinel_address: "redis:\/\/h:1" is not host:port/);
    assert.match(problems({ engine: { redis: { sentinel_address: ['h:0'], sentinel_master_name: 'm' } } })[0] ?? '', /is not host:port/);
    assert.match(problems({ engine: { redis: { sentinel_address: [], sentinel_master_name: 'm' } } })[0] ?? '', /at least one sentinel/);
    assert.match(problems({ engine: { redis: { sentinel_address: ['h:1'], sentinel_master_name: '' } } })[0] ?? '', /^engine\.redis\.sentinel_master_name: must not be empty/);
    assert.match(problems({ engine: { redis: { address: 'redis://h:1', sentinel_address: ['h:1'], sentinel_master_name: 'm' } } })[0] ?? '', /^engine\.redis\.address: set either address or sentinel_address/);
  });

  it('refuses a password, user or db given both in the address URL and as a field', () => {
    assert.match(problems({ engine: { redis: { address: 'redis://:a@h:1', password: 'b' } } })[0] ?? '', /^engine\.redis\.password: the address URL carries a password already/);
    assert.match(problems({ engine: { redis: { address: 'redis://u@h:1', user: 'v' } } })[0] ?? '', /^engine\.redis\.user: the address URL names a user already/);
    assert.match(problems({ engine: { redis: { address: 'redis://h:1/3', db: 2 } } })[0] ?? '', /^engine\.redis\.db: the address URL names a database already/);
    assert.match(problems({ engine: { redis: { db: -1 } } })[0] ?? '', /^engine\.redis\.db: must be at least 0/);
  });

  it('answers Redis Cluster addresses with "not supported yet", naming the issue', () => {
    assert.deepEqual(problems({ engine: { type: 'redis', redis: { cluster_address: ['127.0.0.1:7000'] } } }),
      ['engine.redis.cluster_address: Redis Cluster is not supported yet (issue 10): use address for one Redis, or sentinel_address with sentinel_master_name']);
  });

  it('refuses --redis-url beside a file that finds the master through Sentinel', () => {
    const file = { engine: { type: 'redis', redis: { sentinel_address: ['h:1'], sentinel_master_name: 'm' } } };
    assert.match(problems(file, { redisUrl: 'redis://flag:2' })[0] ?? '', /^--redis-url names one Redis, but the config file finds the master through engine\.redis\.sentinel_address/);
  });
});
