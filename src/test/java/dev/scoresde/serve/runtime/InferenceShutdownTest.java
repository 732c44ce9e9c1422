package dev.scoresde.serve.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.sampling.settings.Fields;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.task.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shutdown stops the running batch before the registry frees the models' tensors: closing the models under a
 * running sampler was what made a shutting-down server log "NDManager has been closed already" from inside a
 * network layer.
 */
class InferenceShutdownTest {

  @Test
  void closingFailsTheRunningBatchAsRetryableAndWaitsForItsWorker() throws Exception {
    ModelsProperties.Model patterns = new ModelsProperties.Model("gaussian-mixture", null, null, null,
        new ModelsProperties.Mixture("patterns-16", null, null, null, null, null, null), null, null, null);
    try (ModelRegistry registry = new ModelRegistry(new ModelsProperties(Map.of("patterns", patterns)),
        new CheckpointStore(NetworkFactory.NETWORKS))) {
      registry.loaded().get(60, TimeUnit.SECONDS);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      InferenceService service = new InferenceService(registry, ServeProperties.defaults(), new ServeMetrics(meters));
      SamplerFields pc = Fields.of("sampler", "pc", "steps", 2000, "corrector", "langevin");
      Execution running = service.submit(new Operation.Sample("patterns", 16, pc, 1L, null, null, null));
      Execution queued = service.submit(new Operation.Sample("patterns", 1, pc, 2L, null, null, null));
      long until = System.currentTimeMillis() + 30_000;
      while (running.progress() == null || running.progress().step() < 2) {
        assertTrue(System.currentTimeMillis() < until, "no progress");
        Thread.sleep(5);
      }
      service.close();
      assertTrue(service.stopped(), "the worker has ended when close returns");
      for (Execution e : java.util.List.of(running, queued)) {
        assertEquals(Execution.State.FAILED, e.state());
        java.util.concurrent.ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class, () -> e.result().get());
        assertEquals(ServeException.Kind.SHUTTING_DOWN, ((ServeException) failure.getCause()).kind());
      }
      int step = running.progress().step();
      assertTrue(step < 2000, "stopped mid-run, at step " + step);
      ServeException refused = org.junit.jupiter.api.Assertions.assertThrows(ServeException.class,
          () -> service.submit(new Operation.Sample("patterns", 1, pc, 3L, null, null, null)));
      assertEquals(ServeException.Kind.SHUTTING_DOWN, refused.kind(), "new work is refused as shutting down");
      assertEquals(1, refused.retryAfterSeconds());
      assertEquals(2, meters.find("scoresde.inference.tasks").tag("outcome", "failed").counter().count(),
          "the running task and the queued one are counted as failed");
    }
  }
}
