package dev.scoresde.serve.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.runtime.Execution;
import dev.scoresde.serve.runtime.Job;
import dev.scoresde.serve.runtime.JobListener;
import dev.scoresde.serve.task.Metadata;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.OperationResult;
import dev.scoresde.tensor.ValueRange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Redis store's semantics against a real redis-server, with two simulated workers driving the scripts as
 * {@link RedisJobWorker} does: claims and fencing tokens, lapsed leases, cancellation, expiry, per-client shares,
 * and an unreachable Redis.
 */
class RedisJobStoreTest {
  static final Operation SAMPLE = new Operation.Sample("patterns", 2, SamplerFields.of("pc", 30), 7L, null, null, null);

  static RedisServer server;
  static LettuceConnectionFactory connections;
  StringRedisTemplate template;
  RedisJobs redis;
  RedisKeys keys;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.start();
    connections = factory(server.port());
  }

  @AfterAll
  static void stopRedis() {
    if (connections != null) {
      connections.destroy();
    }
    if (server != null) {
      server.close();
    }
  }

  static LettuceConnectionFactory factory(int port) {
    LettuceConnectionFactory f = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
        LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
    f.afterPropertiesSet();
    f.start();
    return f;
  }

  @BeforeEach
  void flush() {
    template = new StringRedisTemplate(connections);
    template.execute((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
      c.serverCommands().flushAll();
      return null;
    });
    keys = new RedisKeys("t:");
    redis = new RedisJobs(template, keys);
  }

  static ServeProperties props(int maxJobs, int perClient, Duration retention) {
    return new ServeProperties(null, null, null, null, null, retention, maxJobs, perClient, null);
  }

  RedisJobStore store(ServeProperties props, RedisJobWatcher watcher) {
    return new RedisJobStore(redis, op -> {}, props, watcher);
  }

  /** A worker's claim as {@link RedisJobWorker#claimOne} makes it: {id, token, kind, request}, or empty. */
  List<?> claim(String worker, long leaseMs) {
    return redis.run(RedisScripts.CLAIM, List.of(keys.queue(), keys.leases()), keys.prefix(), worker, leaseMs);
  }

  long complete(String id, String token, OperationResult r, Duration retention) {
    return redis.run(RedisScripts.COMPLETE, List.of(keys.job(id), keys.result(id)), keys.prefix(), id, token,
        "succeeded", "", retention.toMillis(), ResultCodec.encode(r));
  }

  String renew(String id, String token, SamplingListener.Progress p) {
    List<String> k = List.of(keys.job(id), keys.leases());
    return p == null ? redis.run(RedisScripts.RENEW, k, id, token, 10_000)
        : redis.run(RedisScripts.RENEW, k, id, token, 10_000, p.step(), p.totalSteps(), p.nfe(), p.t());
  }

  static OperationResult result(int seed) {
    SamplerFields sampler = SamplerFields.of("pc", 30).choice(true);
    return new OperationResult("patterns", OperationKind.SAMPLES, DataShape.image(1, 4, 4), ValueRange.SYMMETRIC,
        List.of(new float[] {seed, 0.5f, -1f}, new float[] {1e-7f, 2, 3}), null,
        new Metadata.Sample("patterns", sampler, 30, seed, 1.0, null, null, null, null, 12, 2));
  }

  @Test
  void operationsAndResultsSurviveTheirStoredForm() {
    Operation.Inpaint inpaint = new Operation.Inpaint("colors", new byte[] {1, 2, 3, -1}, new byte[] {9}, 3,
        new SamplerFields("pc", "euler-maruyama", "langevin", 40, 0.16, 1, null, null, null, null, null, null, 0.9,
            null), 5L, 0.01);
    assertEquals(inpaint.toString().replaceAll("@[0-9a-f]+", ""), // arrays compare by content below
        OperationCodec.decode(OperationKind.INPAINT, OperationCodec.encode(inpaint)).toString()
            .replaceAll("@[0-9a-f]+", ""));
    Operation.Inpaint back = (Operation.Inpaint) OperationCodec.decode(OperationKind.INPAINT,
        OperationCodec.encode(inpaint));
    assertArrayEquals(inpaint.image(), back.image());
    assertEquals(inpaint.sampler(), back.sampler());
    Operation.Sample unseeded = new Operation.Sample("patterns", 1, null, null, "1", 2.0, null);
    Operation.Sample pinned = (Operation.Sample) OperationCodec.decode(OperationKind.SAMPLES,
        OperationCodec.encode(unseeded));
    assertNotNull(pinned.seed(), "a seed is drawn once at submission, so a job run again computes the same");
    OperationResult r = result(3);
    OperationResult again = ResultCodec.decode(ResultCodec.encode(r));
    assertEquals(r.metadata(), again.metadata());
    assertEquals(r.shape(), again.shape());
    assertArrayEquals(r.images().get(1), again.images().get(1));
  }

  @Test
  void aLapsedLeaseRequeuesTheJobAndOnlyTheNewHolderCompletesIt() throws Exception {
    ServeProperties props = props(100, 100, Duration.ofMinutes(5));
    try (RedisJobWatcher watcher = new RedisJobWatcher(redis, Duration.ofMillis(50))) {
      RedisJobStore store = store(props, watcher);
      Job job = store.submit(SAMPLE, "key:a");
      List<?> a = claim("A", 100);
      assertEquals(job.id(), a.get(0));
      assertEquals("1", a.get(1));
      assertEquals(SAMPLE, OperationCodec.decode(OperationKind.parse(a.get(2).toString()), a.get(3).toString()));
      assertEquals(Execution.State.RUNNING, store.get(job.id()).state());
      assertTrue(claim("B", 100).isEmpty(), "a claimed job is not claimed twice");
      // A stops renewing: once its lease lapses the job goes back to the queue, from the start
      long until = System.currentTimeMillis() + 10_000;
      while (redis.run(RedisScripts.REQUEUE, List.of(keys.leases(), keys.queue()), keys.prefix()) == 0) {
        assertTrue(System.currentTimeMillis() < until, "the lapsed lease was never noticed");
        Thread.sleep(20);
      }
      assertEquals(Execution.State.QUEUED, store.get(job.id()).state());
      List<?> b = claim("B", 10_000);
      assertEquals("2", b.get(1), "every claim has a new fencing token");
      // the zombie A: its renewal is refused and its late result is dropped
      assertEquals("lost", renew(job.id(), "1", null));
      assertEquals(0, complete(job.id(), "1", result(1), props.jobRetention()));
      assertEquals("running", renew(job.id(), "2", new SamplingListener.Progress(5, 30, 5, 0.8)));
      assertEquals(new SamplingListener.Progress(5, 30, 5, 0.8), store.get(job.id()).progress());
      assertEquals(1, complete(job.id(), "2", result(2), props.jobRetention()));
      assertEquals(0, complete(job.id(), "2", result(3), props.jobRetention()), "completed once");
      Job done = store.get(job.id());
      assertEquals(Execution.State.SUCCEEDED, done.state());
      assertNotNull(done.finished());
      assertEquals(((Metadata.Sample) result(2).metadata()).seed(),
          ((Metadata.Sample) store.result(job.id()).metadata()).seed(), "B's result, not the zombie's");
      assertEquals(30, store.completion(job.id()).toCompletableFuture().get(5, TimeUnit.SECONDS).metadata().nfe());
      assertTrue(claim("C", 100).isEmpty());
    }
  }

  @Test
  void cancellingStopsTheHolderAndSkipsQueuedJobs() {
    ServeProperties props = props(100, 100, Duration.ofMinutes(5));
    RedisJobStore store = store(props, null);
    Job running = store.submit(SAMPLE, "key:a");
    Job queued = store.submit(SAMPLE, "key:a");
    List<?> a = claim("A", 10_000);
    assertEquals(running.id(), a.get(0));
    assertEquals(Execution.State.CANCELLED, store.cancel(running.id()).state());
    assertEquals("cancelled", renew(running.id(), "1", null), "the holder learns it at its next renewal");
    assertEquals(0, complete(running.id(), "1", result(1), props.jobRetention()), "and cannot complete it");
    Job c = store.get(running.id());
    assertEquals(Execution.State.CANCELLED, c.state());
    assertEquals("cancelled by the client", c.error());
    assertNull(store.result(running.id()));
    store.cancel(queued.id());
    assertTrue(claim("A", 10_000).isEmpty(), "a cancelled queued job is never run");
    assertEquals(Execution.State.CANCELLED, store.cancel(queued.id()).state(), "cancelling twice changes nothing");
  }

  @Test
  void finishedJobsAndTheirResultsExpireAfterTheRetention() throws Exception {
    Duration retention = Duration.ofMillis(1500);
    RedisJobStore store = store(props(100, 100, retention), null);
    Job job = store.submit(SAMPLE, "key:a");
    assertEquals(-1, template.getExpire(keys.job(job.id())), "an unfinished job does not expire");
    List<?> a = claim("A", 10_000);
    assertEquals(1, complete(job.id(), a.get(1).toString(), result(1), retention));
    for (String key : List.of(keys.job(job.id()), keys.result(job.id()))) {
      long ttl = template.getExpire(key, TimeUnit.MILLISECONDS);
      assertTrue(ttl > 0 && ttl <= retention.toMillis(), key + " expires within the retention: " + ttl);
    }
    assertNull(template.opsForHash().get(keys.job(job.id()), "request"), "the request's bytes are dropped at once");
    long until = System.currentTimeMillis() + 10_000;
    while (template.hasKey(keys.job(job.id()))) {
      assertTrue(System.currentTimeMillis() < until, "the job never expired");
      Thread.sleep(50);
    }
    ServeException gone = assertThrows(ServeException.class, () -> store.get(job.id()));
    assertEquals(ServeException.Kind.NOT_FOUND, gone.kind());
    assertNull(store.result(job.id()));
  }

  @Test
  void eachClientGetsABoundedShareOfTheTableWithARetryAfterFromItsOldestFinishedJob() {
    Duration retention = Duration.ofMinutes(10);
    ServeProperties props = props(5, 2, retention);
    RedisJobStore store = store(props, null);
    Job first = store.submit(SAMPLE, "key:a");
    store.submit(SAMPLE, "key:a");
    ServeException full = assertThrows(ServeException.class, () -> store.submit(SAMPLE, "key:a"));
    assertEquals(ServeException.Kind.BUSY, full.kind());
    assertTrue(full.getMessage().contains("share"), full.getMessage());
    assertEquals(retention.toSeconds(), full.retryAfterSeconds(), "nothing of a's has finished: at least the retention");
    store.submit(SAMPLE, "key:b"); // another client is not locked out
    // a's first job finishes: its slot frees when it expires, and Retry-After says when
    List<?> c = claim("A", 10_000);
    assertEquals(first.id(), c.get(0));
    complete(first.id(), c.get(1).toString(), result(1), retention);
    ServeException later = assertThrows(ServeException.class, () -> store.submit(SAMPLE, "key:a"));
    assertTrue(later.retryAfterSeconds() <= retention.toSeconds() && later.retryAfterSeconds() >= retention.toSeconds() - 5,
        "until a's finished job expires: " + later.retryAfterSeconds());
    store.submit(SAMPLE, "addr:10.0.0.1");
    store.submit(SAMPLE, "addr:10.0.0.2");
    ServeException table = assertThrows(ServeException.class, () -> store.submit(SAMPLE, "addr:10.0.0.3"));
    assertTrue(table.getMessage().contains("job table is full"), table.getMessage());
    assertTrue(table.retryAfterSeconds() > retention.toSeconds() - 5, "the table's first expiry: a's finished job");
  }

  @Test
  void watchersSeeProgressAndThenTheEndOnce() throws Exception {
    try (RedisJobWatcher watcher = new RedisJobWatcher(redis, Duration.ofMillis(20))) {
      ServeProperties props = props(100, 100, Duration.ofMinutes(5));
      RedisJobStore store = store(props, watcher);
      Job job = store.submit(SAMPLE, "key:a");
      List<Object> seen = new CopyOnWriteArrayList<>();
      store.watch(job.id(), new JobListener() {
        @Override
        public void progress(SamplingListener.Progress p) {
          seen.add(p.step());
        }

        @Override
        public void ended(Job j) {
          seen.add(j.state());
        }
      });
      List<?> a = claim("A", 10_000);
      renew(job.id(), a.get(1).toString(), new SamplingListener.Progress(3, 30, 3, 0.9));
      long until = System.currentTimeMillis() + 10_000;
      while (!seen.contains(3)) {
        assertTrue(System.currentTimeMillis() < until, "no progress seen: " + seen);
        Thread.sleep(10);
      }
      complete(job.id(), a.get(1).toString(), result(1), props.jobRetention());
      while (!seen.contains(Execution.State.SUCCEEDED)) {
        assertTrue(System.currentTimeMillis() < until, "no end seen: " + seen);
        Thread.sleep(10);
      }
      Thread.sleep(100); // several more polls
      assertEquals(List.of(3, Execution.State.SUCCEEDED), seen);
    }
  }

  @Test
  void anUnreachableRedisIsA503WithRetryAfter() throws Exception {
    RedisServer other = RedisServer.start();
    LettuceConnectionFactory f = factory(other.port());
    try {
      RedisJobs gone = new RedisJobs(new StringRedisTemplate(f), keys);
      other.close();
      ServeException e = assertThrows(ServeException.class,
          () -> new RedisJobStore(gone, op -> {}, props(10, 10, Duration.ofMinutes(1)), null).get("x"));
      assertEquals(ServeException.Kind.STORE_UNAVAILABLE, e.kind());
      assertTrue(e.retryAfterSeconds() > 0);
    } finally {
      f.destroy();
      other.close();
    }
  }
}
