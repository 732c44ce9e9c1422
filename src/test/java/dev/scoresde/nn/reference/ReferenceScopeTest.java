package dev.scoresde.nn.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.scoresde.checkpoint.reference.ReferenceConfigs;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A forward pass of a reference network, and the gradient with respect to x that guidance and likelihoods
 * take through it, leave nothing behind in the manager that owns the weights.
 */
class ReferenceScopeTest {

  @ParameterizedTest
  @ValueSource(strings = {"ve-celebahq_256_ncsnpp_continuous", "vp-cifar10_ncsnpp_continuous-ddpm_fir11_inputskip_cat",
      "vp-ddpm-cifar10", "ve-ncsn-cifar10", "ve-ncsnv2-cifar10"})
  void forwardAndInputGradientCreateNoArraysInTheWeightsManager(String fixture) throws Exception {
    JsonNode f = JsonMapper.builder().build()
        .readTree(Path.of("src/test/resources/reference-parity", fixture, "fixture.json").toFile());
    ReferenceConfig config = ReferenceConfigs.bind(f.get("config_name").asString(), f.get("config"));
    try (NDManager weights = NDManager.newBaseManager()) {
      ReferenceNetwork net = ReferenceNetworks.create(config);
      ReferenceNetworks.initialize(net, weights, 1);
      int before = weights.getManagedArrays().size();
      int size = config.data().imageSize();
      try (NDManager step = weights.newSubManager()) {
        NDArray x = step.randomUniform(0, 1, new Shape(2, config.data().numChannels(), size, size));
        NDArray labels = step.create(new float[] {1, 2});
        ParameterStore ps = new ParameterStore(step, false);
        net.forward(ps, new NDList(x, labels), false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          x.setRequiresGradient(true);
          gc.backward(net.forward(ps, new NDList(x, labels), false).singletonOrThrow().square().sum());
        }
        assertTrue(x.getGradient().getShape().equals(x.getShape()));
      }
      assertEquals(before, weights.getManagedArrays().size(), fixture);
    }
  }
}
