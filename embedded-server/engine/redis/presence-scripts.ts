/**
 * The Lua of Redis presence (redis-presence.ts). Every script touches only the two keys of one
 * channel — KEYS[1] the hash client → JSON {owner, info}, KEYS[2] the sorted set client → expiry
 * (Unix ms) — so both hash to the channel's slot; times come from Redis's own clock (TIME), so
 * supervisors with skewed clocks agree on what expired.
 */
import { LuaScript } from './lua-script.js';

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** ARGV: client, payload, ttlMs, keepMs. Answers {expiresAt, the replaced payload or nil}. */
export const ADD = new LuaScript(`${NOW}
local expires = now + tonumber(ARGV[3])
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], expires, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {expires, old}
`);

/** ARGV: owner, ttlMs, keepMs, client… Extends the live entries the owner still owns; answers how many. */
export const REFRESH = new LuaScript(`${NOW}
local expires = now + tonumber(ARGV[2])
local n = 0
for i = 4, #ARGV do
  local score = redis.call('ZSCORE', KEYS[2], ARGV[i])
  if score and tonumber(score) > now then
    local raw = redis.call('HGET', KEYS[1], ARGV[i])
    if raw and cjson.decode(raw).owner == ARGV[1] then
      redis.call('ZADD', KEYS[2], 'XX', expires, ARGV[i])
      n = n + 1
    end
  end
end
if n > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return n
`);

/** ARGV: client. Answers the removed payload, or nil. */
export const REMOVE = new LuaScript(`
local old = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return old
`);

/** ARGV: owner, client… Removes those entries the owner holds; answers their payloads. */
export const REMOVE_OWNED = new LuaScript(`
local removed = {}
for i = 2, #ARGV do
  local raw = redis.call('HGET', KEYS[1], ARGV[i])
  if raw and cjson.decode(raw).owner == ARGV[1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
    removed[#removed + 1] = raw
  end
end
return removed
`);

/**
 * ARGV: 'read' or 'sweep'. Drops the expired entries and answers {their payloads, X}: X is every
 * live payload for 'read', and the earliest remaining expiry (or nil when none is left) for 'sweep'.
 */
export const PURGE = new LuaScript(`${NOW}
local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
local expired = {}
for _, client in ipairs(gone) do
  local raw = redis.call('HGET', KEYS[1], client)
  if raw then expired[#expired + 1] = raw end
  redis.call('HDEL', KEYS[1], client)
  redis.call('ZREM', KEYS[2], client)
end
if ARGV[1] == 'sweep' then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {expired, first[2]}
end
return {expired, redis.call('HVALS', KEYS[1])}
`);

/** KEYS[1]: the channel index. ARGV: limit. Answers channels whose earliest expiry has passed. */
export const DUE_CHANNELS = new LuaScript(`${NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
`);
