package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Networks;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.ServeException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading happens in the background: until it ends the registry says "loading" (readiness is down). */
class RegistryLoadingTest {
  @TempDir Path dir;

  @Test
  void modelsAreUnavailableWhileLoadingAndReadyAfterwards() throws Exception {
    Path tiny = ServiceFixtures.tinyNetwork(dir.resolve("tiny"));
    CountDownLatch release = new CountDownLatch(1);
    NetworkFactory slow = new NetworkFactory() {
      @Override
      public Block create(NetworkSpec spec) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Networks.create(spec);
      }

      @Override
      public void initialize(Block block, NetworkSpec spec, NDManager manager, long seed) {
        Networks.initialize(block, spec, manager, seed);
      }
    };
    Map<String, ModelsProperties.Model> models = new LinkedHashMap<>();
    models.put("tiny", new ModelsProperties.Model(null, tiny, null, null, null, null, null, null));
    models.put("missing", new ModelsProperties.Model(null, dir.resolve("nope"), null, null, null, null, null, null));
    try (ModelRegistry registry = new ModelRegistry(new ModelsProperties(models), new CheckpointStore(slow))) {
      assertFalse(registry.loaded().isDone());
      assertEquals(ModelRegistry.Status.LOADING, registry.entry("tiny").status());
      ServeException e = assertThrows(ServeException.class, () -> registry.require("tiny"));
      assertEquals(ServeException.Kind.UNAVAILABLE, e.kind());
      assertTrue(e.retryAfterSeconds() > 0);
      release.countDown();
      registry.loaded().get(60, TimeUnit.SECONDS);
      assertEquals(ModelRegistry.Status.READY, registry.entry("tiny").status());
      assertEquals(ModelRegistry.Status.FAILED, registry.entry("missing").status());
      assertTrue(registry.entry("missing").error().contains("not found"), registry.entry("missing").error());
      assertEquals("tiny", registry.require("tiny").name());
    }
  }
}
