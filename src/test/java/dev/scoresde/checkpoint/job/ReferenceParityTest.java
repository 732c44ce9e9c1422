package dev.scoresde.checkpoint.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.reference.ReferenceCheckpoint;
import dev.scoresde.checkpoint.reference.ReferenceConfigs;
import dev.scoresde.checkpoint.reference.ReferenceImport;
import dev.scoresde.nn.reference.ReferenceConfig;
import dev.scoresde.tensor.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Import → score command → the reference's own outputs. Each fixture under reference-parity/ was written by
 * the reference implementation (tools/reference-parity/generate.py): a random-weight checkpoint in its
 * save_checkpoint layout with EMA weights unlike the raw ones, inputs, and the reference's model(x, labels)
 * and get_score_fn(x, t). The error is per sample, relative to that sample's largest |value| (VE outputs span
 * orders of magnitude within a batch).
 */
class ReferenceParityTest {
  static final Path FIXTURES = Path.of("src/test/resources/reference-parity");
  static final double TOLERANCE = 1e-4;

  @TempDir Path dir;

  static Stream<String> fixtures() {
    return Stream.of("ve-cifar10_ncsnpp_continuous", "vp-cifar10_ddpmpp_continuous",
        "ve-celebahq_256_ncsnpp_continuous", "subvp-cifar10_ddpmpp_continuous", "ve-cifar10_ncsnpp",
        "vp-ddpm-cifar10", "vp-ddpm-cifar10_unconditional",
        "vp-cifar10_ncsnpp_continuous-ddpm_residual_cat", "vp-cifar10_ncsnpp_continuous-ddpm_fir11_inputskip_cat",
        "ve-ncsn-cifar10", "ve-ncsnv2-cifar10", "ve-ncsnv2-bedroom", "ve-ncsnv2-bedroom-ncsnv2_256");
  }

  /** The fixture's config name and its overrides, as the import command takes them. */
  static ReferenceConfig config(Path fixture, Map<String, String> overrides) throws IOException {
    JsonNode f = JsonMapper.builder().build().readTree(fixture.resolve("fixture.json").toFile());
    f.get("overrides").properties().forEach(e -> overrides.put(e.getKey(),
        e.getValue().isString() ? e.getValue().asString() : e.getValue().toString()));
    return ReferenceConfigs.resolve(f.get("config_name").asString(), overrides);
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void importedNetworkComputesWhatTheReferenceComputes(String id) throws IOException {
    Path fixture = FIXTURES.resolve(id);
    Map<String, String> overrides = new TreeMap<>();
    ReferenceConfig config = config(fixture, overrides);
    Path model = dir.resolve("model");
    ReferenceImport.run(fixture.resolve("checkpoint.pth"), config, overrides, model, null,
        ReferenceCheckpoint.Weights.EMA);
    Path out = dir.resolve("out");
    new ScoreRunner(NetworkFactory.NETWORKS).write(model, fixture.resolve("x.npy"), fixture.resolve("t.npy"), out);
    try (NDManager m = NDManager.newBaseManager()) {
      double net = error(Npy.read(out.resolve("net_out.npy"), m), Npy.read(fixture.resolve("net_out.npy"), m));
      double score = error(Npy.read(out.resolve("score.npy"), m), Npy.read(fixture.resolve("score.npy"), m));
      System.out.printf("parity %-55s net_out %.2e  score %.2e%n", id, net, score);
      assertTrue(net <= TOLERANCE, id + ": network output differs by " + net);
      assertTrue(score <= TOLERANCE, id + ": score differs by " + score);
      ModelCard card = CheckpointStore.readCard(model);
      assertEquals(config.name(), card.importedFrom().config());
      assertEquals(64, card.importedFrom().sha256().length());
    }
  }

  /** max over samples of max|a − b| / max|b|. */
  static double error(NDArray actual, NDArray expected) {
    NDArray a = actual.toType(DataType.FLOAT64, false);
    NDArray b = expected.toType(DataType.FLOAT64, false);
    assertEquals(b.getShape(), a.getShape());
    double worst = 0;
    for (int i = 0; i < b.getShape().get(0); i++) {
      double scale = b.get(i).abs().max().getDouble();
      worst = Math.max(worst, a.get(i).sub(b.get(i)).abs().max().getDouble() / scale);
    }
    return worst;
  }
}
