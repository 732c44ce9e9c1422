package dev.scoresde.serve.runtime.redis;

import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.runtime.Execution;
import dev.scoresde.serve.runtime.Job;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;

/** The Redis connection as the store uses it: scripts, job snapshots, result bytes; failures as 503s. */
final class RedisJobs {
  /** The hash fields a snapshot reads, in this order. */
  static final List<String> FIELDS = List.of("kind", "model", "owner", "created", "finished", "state", "step",
      "total", "nfe", "t", "error");

  private final StringRedisTemplate redis;
  private final RedisKeys keys;

  RedisJobs(StringRedisTemplate redis, RedisKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  RedisKeys keys() {
    return keys;
  }

  <T> T run(RedisScript<T> script, List<String> keyNames, Object... args) {
    return guard(() -> redis.execute(script, RedisScripts.ARGS, resultSerializer(script), keyNames, args));
  }

  @SuppressWarnings("unchecked")
  private static <T> RedisSerializer<T> resultSerializer(RedisScript<T> script) {
    return (RedisSerializer<T>) RedisSerializer.string();
  }

  /** The job's snapshot, or null if there is no such job (never was, or expired). */
  Job snapshot(String id) {
    List<Object> v = guard(() -> redis.opsForHash().multiGet(keys.job(id), List.copyOf(FIELDS)));
    return snapshot(id, v);
  }

  /** Snapshots of many jobs in one round trip (null where a job is gone). */
  List<Job> snapshots(List<String> ids) {
    List<Object> rows = guard(() -> redis.executePipelined((RedisCallback<Object>) c -> {
      byte[][] fields = FIELDS.stream().map(f -> f.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
      for (String id : ids) {
        c.hashCommands().hMGet(keys.job(id).getBytes(StandardCharsets.UTF_8), fields);
      }
      return null;
    }));
    return java.util.stream.IntStream.range(0, ids.size())
        .mapToObj(i -> snapshot(ids.get(i), (List<?>) rows.get(i))).toList();
  }

  private static Job snapshot(String id, List<?> v) {
    if (v == null || v.get(5) == null) {
      return null;
    }
    Execution.State state = Execution.State.valueOf(s(v, 5).toUpperCase(Locale.ROOT));
    SamplingListener.Progress p = v.get(6) == null ? null : new SamplingListener.Progress(
        Integer.parseInt(s(v, 6)), Integer.parseInt(s(v, 7)), Integer.parseInt(s(v, 8)), Double.parseDouble(s(v, 9)));
    String error = v.get(10) == null || s(v, 10).isEmpty() ? null : s(v, 10);
    return new Job(id, OperationKind.parse(s(v, 0)), s(v, 1), s(v, 2), instant(s(v, 3)), instant(s(v, 4)), state, p,
        error);
  }

  private static String s(List<?> v, int i) {
    Object o = v.get(i);
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : o == null ? null : o.toString();
  }

  private static Instant instant(String ms) {
    return ms == null || ms.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(ms));
  }

  byte[] bytes(String key) {
    return guard(() -> redis.execute((RedisCallback<byte[]>) c -> c.stringCommands()
        .get(key.getBytes(StandardCharsets.UTF_8))));
  }

  byte[] range(String key, long from, long to) {
    return guard(() -> redis.execute((RedisCallback<byte[]>) c -> c.stringCommands()
        .getRange(key.getBytes(StandardCharsets.UTF_8), from, to)));
  }

  /** Redis unreachable (or refusing) is the store's outage, answered 503 with a retry, not an internal error. */
  static <T> T guard(Supplier<T> call) {
    try {
      return call.get();
    } catch (DataAccessException e) {
      throw new ServeException(ServeException.Kind.STORE_UNAVAILABLE, "the job store (Redis) is unavailable: "
          + e.getMostSpecificCause().getClass().getSimpleName(), 5);
    }
  }
}
