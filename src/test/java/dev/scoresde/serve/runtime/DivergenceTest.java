package dev.scoresde.serve.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.reference.ReferenceCheckpoint;
import dev.scoresde.checkpoint.reference.ReferenceConfigs;
import dev.scoresde.checkpoint.reference.ReferenceImport;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.task.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model whose probability flow leaves finite values answers DIVERGED (a 422 problem), not an internal error. */
class DivergenceTest {
  @TempDir Path dir;

  @Test
  void aDivergingLikelihoodFailsAsDiverged() throws Exception {
    Path imported = dir.resolve("imported");
    ReferenceImport.run(Path.of("src/test/resources/reference-parity/ve-cifar10_ncsnpp_continuous/checkpoint.pth"),
        ReferenceConfigs.resolve("ve/cifar10_ncsnpp_continuous", Map.of("data.image_size", "16", "model.nf", "8",
            "model.ch_mult", "[1,1,2]", "model.num_res_blocks", "1")), Map.of(), imported, null,
        ReferenceCheckpoint.Weights.EMA);
    Path broken = dir.resolve("nan");
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel model = new CheckpointStore(NetworkFactory.NETWORKS).load(imported, m);
      NamedParameters p = NamedParameters.of(model.network());
      for (NDArray a : p.arrays()) {
        a.set(new float[Math.toIntExact(a.size())]);
      }
      p.arrays().get(p.size() - 1).set(nan(Math.toIntExact(p.arrays().get(p.size() - 1).size()))); // the output bias
      CheckpointWriter.writeModelFolder(broken, model.card(), p.toNamedList(""));
    }
    ModelsProperties.Model entry = new ModelsProperties.Model(null, broken, null, null, null, null, null, null);
    try (ModelRegistry registry = new ModelRegistry(new ModelsProperties(Map.of("nan", entry)),
        new CheckpointStore(NetworkFactory.NETWORKS))) {
      registry.loaded().get(60, TimeUnit.SECONDS);
      try (InferenceService service = new InferenceService(registry, ServeProperties.defaults(),
          new ServeMetrics(new SimpleMeterRegistry()))) {
        Execution e = service.submit(new Operation.Likelihood("nan", List.of(png()), 1, null, 1L, 1e-3, 1e-3));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> e.result().get(60, TimeUnit.SECONDS));
        ServeException answer = (ServeException) failure.getCause();
        assertEquals(ServeException.Kind.DIVERGED, answer.kind());
        assertTrue(answer.getMessage().contains("not finite"), answer.getMessage());
      }
    }
  }

  static float[] nan(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, Float.NaN);
    return v;
  }

  static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
