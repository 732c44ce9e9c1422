package dev.scoresde.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.checkpoint.reference.ReferenceConfigs;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Presets;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.json as the cards under models/ spell it: read and written back unchanged, bad names refused clearly. */
class ModelCardJsonTest {
  @TempDir Path dir;

  @Test
  void everyShippedModelCardIsWrittenBackByteForByte() throws IOException {
    List<Path> cards;
    try (Stream<Path> s = Files.walk(Path.of("models"))) {
      cards = s.filter(p -> p.getFileName().toString().equals(CheckpointLayout.MODEL_CARD)).sorted().toList();
    }
    assertTrue(cards.size() >= 5, "shipped cards: " + cards);
    for (Path file : cards) {
      ModelCard card = Json.read(file, ModelCard.class);
      assertEquals(Files.readString(file), new String(Json.write(card), StandardCharsets.UTF_8), file.toString());
    }
  }

  @Test
  void closedSetsAreReadByTheirReferenceNames() throws IOException {
    Path folder = CheckpointLayout.resolveModel(Path.of("models/fashion-mnist-ncsnpp-ve"));
    NetworkSpec spec = CheckpointStore.readCard(folder).network();
    assertEquals(Architecture.NCSNPP, spec.architecture());
    assertEquals(ProgressiveInput.RESIDUAL, spec.progressiveInput());
    assertEquals(EmbeddingType.FOURIER, spec.embedding());
    assertEquals(Presets.get("ncsnpp-fmnist").toBuilder().numClasses(0).build(), spec);
  }

  @Test
  void anImportedReferenceCardRoundTrips() throws IOException {
    NetworkSpec spec = NetworkSpec.reference(
        ReferenceConfigs.resolve("ve/celebahq_256_ncsnpp_continuous", Map.of()));
    ModelCard card = CheckpointStoreTest.card(spec, 1);
    Path file = dir.resolve(CheckpointLayout.MODEL_CARD);
    Files.write(file, Json.write(card));
    ModelCard read = Json.read(file, ModelCard.class);
    assertEquals(card, read);
    assertEquals(Files.readString(file), new String(Json.write(read), StandardCharsets.UTF_8));
    String json = Files.readString(file);
    for (String field : List.of("\"architecture\" : \"reference\"", "\"progressive\" : \"output_skip\"",
        "\"progressiveInput\" : \"input_skip\"", "\"embedding\" : \"fourier\"", "\"resblockType\" : \"biggan\"")) {
      assertTrue(json.contains(field), field + " in " + json);
    }
  }

  @Test
  void anUnknownNameInACardIsRefusedWithTheKnownNames() throws IOException {
    String shipped = Files.readString(Path.of("models/fashion-mnist-ddpmpp-vp/step-00005500/model.json"));
    Path bad = dir.resolve("bad-architecture.json");
    Files.writeString(bad, shipped.replace("\"architecture\" : \"ddpmpp\"", "\"architecture\" : \"unet\""));
    IOException e = assertThrows(IOException.class, () -> Json.read(bad, ModelCard.class));
    assertTrue(e.getMessage().contains("unknown architecture 'unet', known: ddpmpp, ncsnpp, mlp, classifier,"
        + " feature-cnn, reference"), e.getMessage());

    Path badPyramid = dir.resolve("bad-progressive.json");
    Files.writeString(badPyramid, shipped.replace("\"progressiveInput\" : \"none\"", "\"progressiveInput\" : \"skip\""));
    e = assertThrows(IOException.class, () -> Json.read(badPyramid, ModelCard.class));
    assertTrue(e.getMessage().contains("\"skip\"") && e.getMessage().contains("none")
        && e.getMessage().contains("input_skip") && e.getMessage().contains("residual"), e.getMessage());
  }
}
