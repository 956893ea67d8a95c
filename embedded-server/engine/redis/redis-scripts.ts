/**
 * The Lua scripts of the Redis broker (after Centrifugo's broker_history_add_stream.lua and
 * broker_history_list_stream.lua). Keys per channel, hash-tagged so they share a Redis Cluster slot:
 * KEYS[1] the stream (entries with id `<offset>-0`, fields `t` = Redis time in ms, `d` = payload),
 * KEYS[2] the meta hash (`e` epoch, `s` top offset, `g` the generation it was written under).
 */

// Shared by both scripts: create the meta with a new epoch when missing. A stream left over from
// a meta that expired belongs to the old epoch, so it goes (its ids would also block XADD).
// A meta of an older generation (redis-generation.ts: Redis came back from a failover, or a restart
// that may have lost writes) gets a new epoch first: its offsets may be counted again from an older
// top, and must not be under the epoch clients hold. Its top and stream stay — offsets go on rising,
// so XADD ids stay in order, and what survived is the start of the new epoch's history. A meta
// without `g` (written before generations existed) adopts the current one.
const ENSURE_META = `
local function ensure_meta(stream_key, meta_key, new_epoch, meta_ttl_ms, gen)
  local meta = redis.call('hmget', meta_key, 'e', 's', 'g')
  local epoch, top = meta[1], tonumber(meta[2]) or 0
  if not epoch then
    epoch, top = new_epoch, 0
    redis.call('hset', meta_key, 'e', epoch, 'g', gen)
    redis.call('del', stream_key)
  elseif meta[3] ~= gen then
    if meta[3] then epoch = new_epoch end
    redis.call('hset', meta_key, 'e', epoch, 'g', gen)
  end
  if meta_ttl_ms ~= '0' then redis.call('pexpire', meta_key, meta_ttl_ms) else redis.call('persist', meta_key) end
  return epoch, top
end
local function now_ms()
  local t = redis.call('time')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * Publish with history, atomically: epoch, INCR offset, XADD capped by MAXLEN, expire, PUBLISH.
 * ARGV: payload, size, ttlMs, metaTtlMs, newEpoch, pubsubChannel, generation. Returns {offset, epoch}.
 */
export const PUBLISH_SCRIPT = `${ENSURE_META}
local stream_key, meta_key = KEYS[1], KEYS[2]
local payload, size, ttl_ms, meta_ttl_ms, new_epoch, channel, gen = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local epoch = ensure_meta(stream_key, meta_key, new_epoch, meta_ttl_ms, gen)
local offset = redis.call('hincrby', meta_key, 's', 1)
redis.call('xadd', stream_key, 'MAXLEN', size, offset, 't', now_ms(), 'd', payload)
redis.call('pexpire', stream_key, ttl_ms)
redis.call('publish', channel, 'p:' .. offset .. ':' .. epoch .. ':' .. payload)
return {offset, epoch}
`;

/**
 * Position and history: ensures the meta, drops the publications older than the TTL (they are a
 * prefix: entries are in time order), then reads. ARGV: newEpoch, metaTtlMs, ttlMs, since ('' for
 * none), limit (-1 all, 0 none), reverse ('1'/'0'), generation. Returns {top, epoch, entries}.
 */
export const HISTORY_SCRIPT = `${ENSURE_META}
local stream_key, meta_key = KEYS[1], KEYS[2]
local new_epoch, meta_ttl_ms, ttl_ms, since, limit, reverse, gen = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]), ARGV[6], ARGV[7]
local epoch, top = ensure_meta(stream_key, meta_key, new_epoch, meta_ttl_ms, gen)
if ttl_ms > 0 then
  local cutoff = now_ms() - ttl_ms
  for _ = 1, 100000 do
    local head = redis.call('xrange', stream_key, '-', '+', 'COUNT', 100)
    if #head == 0 then break end
    local keep = nil
    for _, entry in ipairs(head) do
      if tonumber(entry[2][2]) > cutoff then keep = entry[1] break end
    end
    if keep then
      redis.call('xtrim', stream_key, 'MINID', keep)
      break
    end
    local last = head[#head][1]
    redis.call('xtrim', stream_key, 'MINID', tonumber(string.match(last, '^(%d+)')) + 1)
  end
end
local entries = {}
if limit ~= 0 then
  local count = {}
  if limit > 0 then count = {'COUNT', limit} end
  if reverse == '1' then
    local last = '+'
    if since ~= '' then last = tonumber(since) - 1 end
    if last == '+' or last > 0 then
      entries = redis.call('xrevrange', stream_key, last, '-', unpack(count))
    end
  else
    local first = '-'
    if since ~= '' then first = tonumber(since) + 1 end
    entries = redis.call('xrange', stream_key, first, '+', unpack(count))
  end
end
return {top, epoch, entries}
`;
