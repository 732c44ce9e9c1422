package dev.scoresde.checkpoint;

import dev.scoresde.tensor.ValueRange;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.tensor.Rng;
import dev.scoresde.testnet.TestNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  static final NetworkSpec SPEC = TestNetworks.mlp(1, 4, 8, 10);
  @TempDir Path dir;

  static ModelCard card(NetworkSpec spec, long steps) {
    return new ModelCard(ModelCard.FORMAT_VERSION, "tiny", SdeSpec.vp(0.1, 20, 1000), spec, DataShape.image(1, 4, 2),
        ValueRange.SYMMETRIC, List.of("a", "b"), 0.999,
        new Provenance("test data", "dsm (mean)", steps, 8, 12.5, 0.25, "2026-01-01T00:00:00Z"));
  }

  /** A checkpoint of a freshly initialized network with random "EMA" and "moment" arrays. */
  static Checkpoint checkpoint(NDManager m, long step, long seed) {
    Block net = TestNetworks.FACTORY.create(SPEC);
    TestNetworks.FACTORY.initialize(net, SPEC, m, seed);
    NamedParameters p = NamedParameters.of(net);
    NDList ema = new NDList();
    NDList opt = new NDList();
    for (int i = 0; i < p.size(); i++) {
      NDArray a = p.arrays().get(i);
      NDArray e = Rng.of(seed + i, (int) a.getShape().get(0)).normal(m, a.getShape());
      e.setName(p.names().get(i));
      ema.add(e);
      NDArray mo = e.mul(0.5f);
      mo.setName("m." + p.names().get(i));
      opt.add(mo);
    }
    TrainingState state = new TrainingState(step, 99, List.of(new TrainingState.LossPoint(step, 0.5)), 1.5, 3, 12.5);
    return new Checkpoint(card(SPEC, step), ema, p.toNamedList(""), opt, state);
  }

  @Test
  void roundTripIsBitExact() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      Checkpoint c = checkpoint(m, 100, 1);
      Path folder = new CheckpointWriter(dir, 2).write(c);
      assertEquals(dir.resolve("step-00000100"), folder);
      assertEquals(c.card(), CheckpointStore.readCard(folder));
      assertEquals(c.state(), CheckpointStore.readState(folder));
      for (String file : List.of(CheckpointLayout.EMA, CheckpointLayout.PARAMS, CheckpointLayout.OPTIMIZER)) {
        NDList want = file.equals(CheckpointLayout.EMA) ? c.ema() : file.equals(CheckpointLayout.PARAMS) ? c.params()
            : c.optimizer();
        NDList got = CheckpointStore.readArrays(folder.resolve(file), m);
        assertEquals(want.size(), got.size());
        for (NDArray w : want) {
          NDArray g = got.stream().filter(a -> a.getName().equals(w.getName())).findFirst().orElseThrow();
          assertEquals(w.getShape(), g.getShape());
          assertArrayEquals(w.toFloatArray(), g.toFloatArray(), 0f, file + " " + w.getName());
        }
      }
      // the served model: a network of the card's architecture holding exactly the EMA weights
      try (NDManager serve = NDManager.newBaseManager()) {
        LoadedModel loaded = new CheckpointStore(TestNetworks.FACTORY).load(dir, serve);
        assertEquals(folder, loaded.folder());
        NamedParameters p = NamedParameters.of(loaded.network());
        for (int i = 0; i < p.size(); i++) {
          assertArrayEquals(c.ema().get(i).toFloatArray(), p.arrays().get(i).toFloatArray(), 0f);
        }
      }
    }
  }

  @Test
  void halfWrittenFoldersAreIgnoredAndCleanedUp() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      new CheckpointWriter(dir, 3).write(checkpoint(m, 10, 1));
      Path tmp = Files.createDirectories(dir.resolve(".tmp-step-00000020-crashed"));
      Files.writeString(tmp.resolve(CheckpointLayout.MODEL_CARD), "{\"formatVersion\": 1, \"na");
      Path partial = Files.createDirectories(dir.resolve("step-00000030"));
      Files.writeString(partial.resolve(CheckpointLayout.MODEL_CARD), "{}");
      assertEquals(dir.resolve("step-00000010"), CheckpointLayout.latest(dir).orElseThrow());
      try (NDManager serve = NDManager.newBaseManager()) {
        assertEquals(dir.resolve("step-00000010"),
            new CheckpointStore(TestNetworks.FACTORY).load(dir, serve).folder());
      }
      new CheckpointWriter(dir, 3);
      assertTrue(Files.notExists(tmp), "a new writer removes leftovers of a crashed one");
    }
  }

  @Test
  void keepsOnlyTheNewestCheckpoints() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      CheckpointWriter w = new CheckpointWriter(dir, 2);
      for (long step : new long[] {5, 10, 15}) {
        w.write(checkpoint(m, step, step));
      }
      assertEquals(List.of(dir.resolve("step-00000010"), dir.resolve("step-00000015")),
          CheckpointLayout.checkpoints(dir));
      try (var s = Files.list(dir)) {
        assertEquals(2, s.count(), "no temporary folders remain");
      }
    }
  }

  @Test
  void loadingAnotherArchitectureNamesTheDifferingFields() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      new CheckpointWriter(dir, 1).write(checkpoint(m, 10, 1));
      NetworkSpec other = TestNetworks.mlp(1, 4, 16, 10);
      ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
          () -> new CheckpointStore(TestNetworks.FACTORY).load(dir, other, m));
      assertTrue(e.getMessage().contains("nf 8 vs 16") && e.getMessage().contains("step-00000010"), e.getMessage());
      // without the spec check, the weights themselves do not fit: the message names a parameter and shapes
      Path folder = dir.resolve("step-00000010");
      Files.write(folder.resolve(CheckpointLayout.MODEL_CARD), Json.write(card(other, 10)));
      IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
          () -> new CheckpointStore(TestNetworks.FACTORY).load(dir, m));
      assertTrue(shapes.getMessage().contains("shape") && shapes.getMessage().contains("EMA weights"),
          shapes.getMessage());
    }
  }

  /**
   * A run folder holding only a serving export (card + EMA, no parameters or optimizer state) serves it; a complete
   * checkpoint, when there is one, wins even over a newer export.
   */
  @Test
  void aServingExportIsServedWhenNoCompleteCheckpointExists() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      new CheckpointWriter(dir, 1).write(checkpoint(m, 10, 1));
      Path complete = dir.resolve("step-00000010");
      Path export = dir.resolve("step-00000020");
      Files.createDirectories(export);
      for (String f : new String[] {CheckpointLayout.MODEL_CARD, CheckpointLayout.EMA}) {
        Files.copy(complete.resolve(f), export.resolve(f));
      }
      assertEquals(complete, CheckpointLayout.resolveModel(dir), "a complete checkpoint is preferred");
      for (String f : new String[] {CheckpointLayout.MODEL_CARD, CheckpointLayout.EMA, CheckpointLayout.PARAMS,
          CheckpointLayout.OPTIMIZER, CheckpointLayout.STATE}) {
        Files.delete(complete.resolve(f));
      }
      Files.delete(complete);
      assertEquals(export, CheckpointLayout.resolveModel(dir));
      LoadedModel loaded = new CheckpointStore(TestNetworks.FACTORY).load(dir, m);
      assertEquals(export, loaded.folder());
      assertTrue(CheckpointLayout.latest(dir).isEmpty(), "an export is no resumable checkpoint");
    }
  }

  @Test
  void aFolderWithoutModelSaysSo() {
    IOException e = assertThrows(IOException.class, () -> CheckpointLayout.resolveModel(dir));
    assertTrue(e.getMessage().contains("holds no model"), e.getMessage());
  }
}
