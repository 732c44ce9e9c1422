package dev.scoresde.serve.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.settings.Fields;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.MixtureModels;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.model.ServedModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A merged batch gives every request exactly what it would have got alone (per-row streams and steps). */
class BatchedSamplingTest {
  static ServedModel model;
  static final ServeProperties PROPS = ServeProperties.defaults();

  @BeforeAll
  static void load() {
    model = MixtureModels.create("patterns", new ModelsProperties.Mixture("patterns-16", null, null, null, null, null,
        null), "cpu");
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static SampleTask task(String sampler, String corrector, int n, long seed, String label) {
    return SampleTask.of(new Operation.Sample("patterns", n, Fields.of("sampler", sampler, "steps", 30, "corrector",
        corrector, "rtol", 1e-3, "atol", 1e-3, "temperature", 0.9), seed, label, null, null), model, PROPS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pc:langevin", "ode:none", "ancestral:none", "reverse-diffusion:none", "sde-dpm-solver++2m:none",
      "ddim:none"})
  void batchedRowsEqualUnbatchedRows(String spec) {
    String[] p = spec.split(":");
    List<SampleTask> tasks = List.of(task(p[0], p[1].equals("none") ? null : p[1], 3, 5, "checker"),
        task(p[0], p[1].equals("none") ? null : p[1], 1, 6, "vertical"),
        task(p[0], p[1].equals("none") ? null : p[1], 2, 7, "horizontal"));
    assertEquals(tasks.get(0).batchKey(), tasks.get(2).batchKey(), "labels do not split batches");
    try (NDManager scope = model.manager().newSubManager()) {
      List<OperationResult> merged = tasks.get(0).runBatch(tasks, scope, SamplingListener.NONE);
      for (int i = 0; i < tasks.size(); i++) {
        OperationResult alone = tasks.get(i).run(scope, SamplingListener.NONE);
        assertEquals(6, ((Metadata.Sample) merged.get(i).metadata()).batchRows());
        for (int r = 0; r < tasks.get(i).n(); r++) {
          assertArrayEquals(alone.images().get(r), merged.get(i).images().get(r), 0f,
              spec + ": task " + i + " row " + r);
        }
      }
    }
  }
}
