package dev.scoresde.serve.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.task.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-process job table's bounds on a clock the test moves: one client filling its share is refused with a
 * Retry-After counted down to its oldest finished job's expiry, while other clients keep submitting.
 */
class MemoryJobStoreTest {
  static final Operation QUICK = new Operation.Sample("patterns", 1, SamplerFields.of("euler-maruyama", 2), 1L, null,
      null, null);
  static final Duration RETENTION = Duration.ofMinutes(10);

  static ModelRegistry registry;
  static InferenceService inference;

  /** A clock that stands still until moved. */
  static final class Manual extends Clock {
    volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    ModelsProperties.Model patterns = new ModelsProperties.Model("gaussian-mixture", null, null, null,
        new ModelsProperties.Mixture("patterns-16", null, null, null, null, "vp", null), null, null, null);
    registry = new ModelRegistry(new ModelsProperties(Map.of("patterns", patterns)),
        new CheckpointStore(NetworkFactory.NETWORKS));
    registry.loaded().get(60, TimeUnit.SECONDS);
    inference = new InferenceService(registry, ServeProperties.defaults(), new ServeMetrics(new SimpleMeterRegistry()));
  }

  @AfterAll
  static void stop() {
    inference.close();
    registry.close();
  }

  static Job finish(JobStore store, Job job) throws Exception {
    store.completion(job.id()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return store.get(job.id());
  }

  @Test
  void aClientOverItsShareIsRefusedUntilItsOldestFinishedJobExpiresWhileOthersGoOn() throws Exception {
    Manual clock = new Manual();
    ServeProperties props = new ServeProperties(null, null, null, null, null, RETENTION, 4, 2, null);
    MemoryJobStore store = new MemoryJobStore(inference, props, clock);
    Job first = finish(store, store.submit(QUICK, "key:a"));
    assertEquals(Execution.State.SUCCEEDED, first.state());
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    finish(store, store.submit(QUICK, "key:a"));
    ServeException refused = assertThrows(ServeException.class, () -> store.submit(QUICK, "key:a"));
    assertEquals(ServeException.Kind.BUSY, refused.kind());
    assertEquals(RETENTION.minusMinutes(1).toSeconds(), refused.retryAfterSeconds(),
        "until the first job expires, nine minutes on");
    assertTrue(refused.getMessage().contains("share"), refused.getMessage());
    clock.now = clock.now.plus(Duration.ofMinutes(4));
    assertEquals(RETENTION.minusMinutes(5).toSeconds(),
        assertThrows(ServeException.class, () -> store.submit(QUICK, "key:a")).retryAfterSeconds());
    // the others are not locked out, up to the whole table
    finish(store, store.submit(QUICK, "key:b"));
    finish(store, store.submit(QUICK, "addr:192.0.2.1"));
    ServeException table = assertThrows(ServeException.class, () -> store.submit(QUICK, "addr:192.0.2.2"));
    assertTrue(table.getMessage().contains("job table is full"), table.getMessage());
    assertEquals(RETENTION.minusMinutes(5).toSeconds(), table.retryAfterSeconds(), "the table's oldest finished job");
    // once a's first job expires, a's share has room again and the expired job is gone
    clock.now = first.finished().plus(RETENTION);
    assertEquals(ServeException.Kind.NOT_FOUND, assertThrows(ServeException.class, () -> store.get(first.id())).kind());
    assertEquals("key:a", finish(store, store.submit(QUICK, "key:a")).owner());
  }

  @Test
  void aShareFullOfUnfinishedJobsAsksToWaitAtLeastTheRetention() {
    Manual clock = new Manual();
    ServeProperties props = new ServeProperties(null, null, null, null, null, RETENTION, 100, 1, null);
    MemoryJobStore store = new MemoryJobStore(inference, props, clock);
    Operation slow = new Operation.Sample("patterns", 1, SamplerFields.of("euler-maruyama", 2000), 1L, null, null, null);
    Job running = store.submit(slow, "key:a");
    try {
      ServeException refused = assertThrows(ServeException.class, () -> store.submit(QUICK, "key:a"));
      assertEquals(RETENTION.toSeconds(), refused.retryAfterSeconds(), "no finished job: a slot frees no sooner");
    } finally {
      store.cancel(running.id());
    }
  }
}
