package dev.scoresde.serve.runtime.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The store's state changes, each one Lua script so that it is atomic in Redis. Time is Redis's own clock
 * ({@code TIME}), so replicas with skewed clocks agree on leases and expiry. Keys: {@code job:<id>} (a hash),
 * {@code result:<id>} (bytes), {@code queue} (ids, pushed left, taken right), {@code leases} (id → lease end, ms),
 * {@code table} and {@code owner:<owner>} (id → expiry, ms, +inf while unfinished), all under the key prefix.
 * A job's {@code token} grows with every claim: only the holder of the current token may renew, report or
 * complete it (the fencing that keeps a replica that lost its lease from writing a late result).
 * The scripts name keys they derive from the prefix, so the store needs a standalone (or Sentinel) Redis, not Cluster.
 */
final class RedisScripts {
  private RedisScripts() {}

  private static final String COMMON = """
      local function now_ms()
        local t = redis.call('TIME')
        return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      -- an owner's set expires with its last finished job, never while it holds an unfinished one
      local function tidy(k)
        if redis.call('ZCOUNT', k, '+inf', '+inf') > 0 then
          redis.call('PERSIST', k)
        else
          local last = redis.call('ZRANGE', k, -1, -1, 'WITHSCORES')
          if last[2] then redis.call('PEXPIREAT', k, math.ceil(tonumber(last[2]))) end
        end
      end
      -- the job ends: expiry of its hash, result and table entries; no lease any more
      local function finish(prefix, id, job, state, err, retention, now)
        local expiry = now + retention
        redis.call('HSET', job, 'state', state, 'finished', tostring(now), 'error', err)
        redis.call('HDEL', job, 'request')
        redis.call('PEXPIRE', job, retention)
        redis.call('ZREM', prefix .. 'leases', id)
        redis.call('ZADD', prefix .. 'table', expiry, id)
        local owner = prefix .. 'owner:' .. redis.call('HGET', job, 'owner')
        redis.call('ZADD', owner, expiry, id)
        tidy(owner)
      end
      local function first_score(k)
        local f = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
        return f[2] or ''
      end
      """;

  /**
   * KEYS: job, table, owner set, queue. ARGV: id, kind, model, owner, request, max jobs, max per client.
   * Returns {1, now} or, refused, {0, now, total, table's first expiry, mine, owner's first expiry}.
   */
  static final RedisScript<List> SUBMIT = script("""
      local now = now_ms()
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
      redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
      local total = redis.call('ZCARD', KEYS[2])
      local mine = redis.call('ZCARD', KEYS[3])
      if total >= tonumber(ARGV[6]) or mine >= tonumber(ARGV[7]) then
        return {'0', tostring(now), tostring(total), first_score(KEYS[2]), tostring(mine), first_score(KEYS[3])}
      end
      redis.call('HSET', KEYS[1], 'kind', ARGV[2], 'model', ARGV[3], 'owner', ARGV[4], 'request', ARGV[5],
          'created', tostring(now), 'state', 'queued', 'token', '0', 'attempts', '0')
      redis.call('ZADD', KEYS[2], '+inf', ARGV[1])
      redis.call('ZADD', KEYS[3], '+inf', ARGV[1])
      tidy(KEYS[3])
      redis.call('LPUSH', KEYS[4], ARGV[1])
      return {'1', tostring(now)}
      """);

  /**
   * KEYS: queue, leases. ARGV: prefix, worker, lease ms. Takes the oldest queued job (skipping cancelled or
   * expired ones): {id, token, kind, request}, or an empty list.
   */
  static final RedisScript<List> CLAIM = script("""
      local now = now_ms()
      while true do
        local id = redis.call('RPOP', KEYS[1])
        if not id then return {} end
        local job = ARGV[1] .. 'job:' .. id
        if redis.call('HGET', job, 'state') == 'queued' then
          local token = redis.call('HINCRBY', job, 'token', 1)
          redis.call('HINCRBY', job, 'attempts', 1)
          redis.call('HSET', job, 'state', 'running', 'worker', ARGV[2], 'started', tostring(now))
          redis.call('HDEL', job, 'step', 'total', 'nfe', 't')
          redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), id)
          return {id, tostring(token), redis.call('HGET', job, 'kind'), redis.call('HGET', job, 'request')}
        end
      end
      """);

  /**
   * KEYS: job, leases. ARGV: id, token, lease ms, then optionally step, total, nfe, t. Renews the lease (and
   * records progress) while the caller holds the job: "running"; else "cancelled", "lost" (taken by another or
   * requeued) or "gone" (expired).
   */
  static final RedisScript<String> RENEW = script("""
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state then return 'gone' end
      if state == 'cancelled' then return 'cancelled' end
      if state ~= 'running' or redis.call('HGET', KEYS[1], 'token') ~= ARGV[2] then return 'lost' end
      redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[3]), ARGV[1])
      if ARGV[4] then
        redis.call('HSET', KEYS[1], 'step', ARGV[4], 'total', ARGV[5], 'nfe', ARGV[6], 't', ARGV[7])
      end
      return 'running'
      """, String.class);

  /**
   * KEYS: job, result. ARGV: prefix, id, token, outcome (succeeded | failed), error, retention ms, result bytes.
   * Completes a running job held with this token, atomically with its result: 1; else (cancelled meanwhile, or a
   * zombie whose lease another replica has taken over) 0, and nothing is written.
   */
  static final RedisScript<Long> COMPLETE = script("""
      if redis.call('HGET', KEYS[1], 'state') ~= 'running' or redis.call('HGET', KEYS[1], 'token') ~= ARGV[3] then
        return 0
      end
      local retention = tonumber(ARGV[6])
      if ARGV[4] == 'succeeded' then redis.call('SET', KEYS[2], ARGV[7], 'PX', retention) end
      finish(ARGV[1], ARGV[2], KEYS[1], ARGV[4], ARGV[5], retention, now_ms())
      return 1
      """, Long.class);

  /**
   * KEYS: job, queue. ARGV: prefix, id, token. Gives a held job back to the front of the queue (this replica
   * cannot run it now, or is shutting down), not counting the claim as an attempt: 1 if it was held with this token.
   */
  static final RedisScript<Long> RELEASE = script("""
      if redis.call('HGET', KEYS[1], 'state') ~= 'running' or redis.call('HGET', KEYS[1], 'token') ~= ARGV[3] then
        return 0
      end
      redis.call('HSET', KEYS[1], 'state', 'queued', 'worker', '')
      redis.call('HINCRBY', KEYS[1], 'attempts', -1)
      redis.call('HDEL', KEYS[1], 'step', 'total', 'nfe', 't')
      redis.call('ZREM', ARGV[1] .. 'leases', ARGV[2])
      redis.call('RPUSH', KEYS[2], ARGV[2])
      return 1
      """, Long.class);

  /**
   * KEYS: leases, queue. ARGV: prefix. Every running job whose lease has lapsed (its replica died or hangs) goes
   * back to the front of the queue, to be run again from the start. Returns how many.
   */
  static final RedisScript<Long> REQUEUE = script("""
      local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms())
      local n = 0
      for _, id in ipairs(ids) do
        redis.call('ZREM', KEYS[1], id)
        local job = ARGV[1] .. 'job:' .. id
        if redis.call('HGET', job, 'state') == 'running' then
          redis.call('HSET', job, 'state', 'queued', 'worker', '')
          redis.call('HDEL', job, 'step', 'total', 'nfe', 't')
          redis.call('RPUSH', KEYS[2], id)
          n = n + 1
        end
      end
      return n
      """, Long.class);

  /**
   * KEYS: job. ARGV: prefix, id, reason, retention ms. Cancels a queued or running job (its worker sees it at the
   * next renewal); returns the state afterwards, or "" for an unknown job.
   */
  static final RedisScript<String> CANCEL = script("""
      local state = redis.call('HGET', KEYS[1], 'state')
      if not state then return '' end
      if state == 'queued' or state == 'running' then
        finish(ARGV[1], ARGV[2], KEYS[1], 'cancelled', ARGV[3], tonumber(ARGV[4]), now_ms())
        return 'cancelled'
      end
      return state
      """, String.class);

  private static RedisScript<List> script(String body) {
    return RedisScript.of(COMMON + body, List.class);
  }

  private static <T> RedisScript<T> script(String body, Class<T> type) {
    return RedisScript.of(COMMON + body, type);
  }

  /** Script arguments: strings as UTF-8, byte arrays (results) as they are. */
  static final RedisSerializer<Object> ARGS = new RedisSerializer<>() {
    @Override
    public byte[] serialize(Object value) {
      return value instanceof byte[] b ? b : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object deserialize(byte[] bytes) {
      return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
  };
}
