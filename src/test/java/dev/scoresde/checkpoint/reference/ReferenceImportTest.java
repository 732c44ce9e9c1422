package dev.scoresde.checkpoint.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.torch.TorchFormatException;
import dev.scoresde.nn.reference.ReferenceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The importer refuses what does not fit, names why, and leaves no model folder behind. */
class ReferenceImportTest {
  static final Path FIXTURE = Path.of("src/test/resources/reference-parity/ve-cifar10_ncsnpp_continuous");
  static final Map<String, String> SMALL = Map.of("data.image_size", "16", "model.nf", "8", "model.ch_mult", "[1,1,2]",
      "model.num_res_blocks", "1");
  @TempDir Path dir;

  static ReferenceConfig config(Map<String, String> extra) {
    Map<String, String> o = new HashMap<>(SMALL);
    o.putAll(extra);
    return ReferenceConfigs.resolve("ve/cifar10_ncsnpp_continuous", o);
  }

  void assertRefused(String fragment, Executable importing) {
    Exception e = assertThrows(Exception.class, importing);
    assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
    assertFalse(Files.exists(dir.resolve("out")), "no model folder after a refused import");
  }

  ReferenceImport.Result importWith(ReferenceConfig config, Path checkpoint) throws IOException {
    return ReferenceImport.run(checkpoint, config, Map.of(), dir.resolve("out"), null, ReferenceCheckpoint.Weights.EMA);
  }

  @Test
  void writesACardThatSaysWhereTheWeightsCameFrom() throws IOException {
    ReferenceImport.Result r = importWith(config(Map.of()), FIXTURE.resolve("checkpoint.pth"));
    ModelCard card = CheckpointStore.readCard(r.folder());
    assertEquals("ve", card.sde().kind());
    assertEquals(0.01, card.sde().sigmaMin());
    assertEquals(50.0, card.sde().sigmaMax());
    assertEquals(0.0, card.valueRange().min()); // data.centered = False
    assertEquals(16, card.data().size());
    assertEquals(1, card.importedFrom().step());
    assertEquals(0.999, card.importedFrom().emaDecay());
    assertEquals(ReferenceImport.sha256(FIXTURE.resolve("checkpoint.pth")), card.importedFrom().sha256());
    assertEquals(56_635, r.parameterCount());
  }

  @Test
  void refusesAConfigThatDescribesAnotherNetwork() {
    assertRefused("all_modules.0.W has shape [8] in the checkpoint, the configured network expects [16]",
        () -> importWith(config(Map.of("model.nf", "16")), FIXTURE.resolve("checkpoint.pth")));
    assertRefused("unused [all_modules.", // one residual block per level fewer than the checkpoint holds
        () -> importWith(config(Map.of("model.num_res_blocks", "0")), FIXTURE.resolve("checkpoint.pth")));
    assertRefused("missing [all_modules.",
        () -> importWith(config(Map.of("model.num_res_blocks", "2")), FIXTURE.resolve("checkpoint.pth")));
    assertRefused("but the config gives", // the sigmas buffer disagrees with model.sigma_max
        () -> importWith(config(Map.of("model.sigma_max", "90")), FIXTURE.resolve("checkpoint.pth")));
  }

  @Test
  void refusesHostileAndBrokenFiles() throws IOException {
    assertRefused("global 'posix.system' is not allowed",
        () -> importWith(config(Map.of()), Path.of("src/test/resources/torch/evil_system.pth")));
    Path truncated = dir.resolve("truncated.pth");
    byte[] all = Files.readAllBytes(FIXTURE.resolve("checkpoint.pth"));
    Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));
    Exception e = assertThrows(IOException.class, () -> importWith(config(Map.of()), truncated));
    assertTrue(e instanceof TorchFormatException || e.getMessage() != null, e.toString());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void refusesUnknownOptions() {
    assertRefused("unknown option 'model.nff'", () -> config(Map.of("model.nff", "8")));
    assertRefused("unknown reference config 've/cifar11'", () -> ReferenceConfigs.resolve("ve/cifar11", Map.of()));
    assertRefused("Fourier features are only used for continuous training",
        () -> config(Map.of("training.continuous", "false")));
  }

  @Test
  void servesTheEmaWeightsNotTheRawOnes() throws IOException {
    ReferenceImport.Result ema = importWith(config(Map.of()), FIXTURE.resolve("checkpoint.pth"));
    ReferenceImport.Result raw = ReferenceImport.run(FIXTURE.resolve("checkpoint.pth"), config(Map.of()), Map.of(),
        dir.resolve("raw"), null, ReferenceCheckpoint.Weights.MODEL);
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(ema.folder().resolve("ema.safetensors")),
        Files.readAllBytes(raw.folder().resolve("ema.safetensors"))));
    assertEquals(0.0, raw.card().emaRate());
  }
}
