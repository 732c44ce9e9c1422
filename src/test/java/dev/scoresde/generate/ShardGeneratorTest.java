package dev.scoresde.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.scoresde.checkpoint.Checkpoint;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.checkpoint.TrainingState;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.sampling.settings.Endpoints;
import dev.scoresde.sampling.settings.ProbabilityFlowSettings;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.testnet.TestNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk generation on a tiny random-initialised class-conditional network: shards, atomicity, reruns. */
class ShardGeneratorTest {
  static final NetworkSpec SPEC = TestNetworks.mlp(1, 4, 16, 3);
  static final int COUNT = 10;
  static final int BATCH = 3;
  @TempDir Path dir;

  /** A run folder holding one checkpoint of a freshly initialised network (EMA = trained weights). */
  static Path tinyModel(Path dir) throws IOException {
    Path run = dir.resolve("model");
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = TestNetworks.FACTORY.create(SPEC);
      TestNetworks.FACTORY.initialize(net, SPEC, m, 42);
      NDList weights = NamedParameters.of(net).toNamedList("");
      ModelCard card = new ModelCard(ModelCard.FORMAT_VERSION, "tiny", SdeSpec.vp(0.1, 20, 1000), SPEC,
          DataShape.image(1, 4, 4), ValueRange.SYMMETRIC, List.of("a", "b", "c"), 0.999,
          new Provenance("random init", "none", 5, 8, 0, 1, "2026-01-01T00:00:00Z"));
      TrainingState state = new TrainingState(5, 1, List.of(), 0, 0, 0);
      new CheckpointWriter(run, 1).write(new Checkpoint(card, weights, weights, new NDList(), state));
    }
    return run;
  }

  static SamplerSettings euler() {
    return SamplerFields.of("euler-maruyama", 4).toSettings(SdeKind.VP);
  }

  static SamplerSettings ode() {
    return new ProbabilityFlowSettings(1e-3, 1e-3, Endpoints.paper(SdeKind.VP));
  }

  List<ShardGenerator.Result> run(Path model, SamplerSettings s, int shards, long seed, Path out) throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(TestNetworks.FACTORY).load(model, m);
      ShardGenerator g = new ShardGenerator(loaded, s);
      List<ShardGenerator.Result> results = new java.util.ArrayList<>();
      for (int i = 0; i < shards; i++) {
        results.add(g.generate(new ShardPlan(COUNT, BATCH, shards, i), seed, null, out));
      }
      return results;
    }
  }

  static byte[][] images(Path out) throws IOException {
    byte[][] all = new byte[COUNT][];
    try (Stream<Path> files = Files.walk(out)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".png")).toList()) {
        int k = Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""));
        assertEquals(null, all[k], "sample " + k + " written once");
        all[k] = Files.readAllBytes(p);
      }
    }
    return all;
  }

  void threeShardsEqualOneRun(SamplerSettings s) throws IOException {
    Path model = tinyModel(dir);
    List<ShardGenerator.Result> one = run(model, s, 1, 7, dir.resolve("one"));
    List<ShardGenerator.Result> three = run(model, s, 3, 7, dir.resolve("three"));
    byte[][] a = images(dir.resolve("one"));
    byte[][] b = images(dir.resolve("three"));
    for (int k = 0; k < COUNT; k++) {
      assertArrayEquals(a[k], b[k], "sample " + k + " is the same PNG whichever shard drew it");
    }
    assertFalse(java.util.Arrays.equals(a[0], a[1]), "different samples differ");
    assertEquals(List.of(0, 3, 6), three.stream().map(r -> r.manifest().first()).toList());
    assertEquals(List.of(3, 6, 10), three.stream().map(r -> r.manifest().end()).toList());
    assertEquals(one.get(0).manifest().nfe(), three.stream().mapToLong(r -> r.manifest().nfe()).sum(),
        "the same work, split");
  }

  @Test
  void threeShardsOfAnEulerMaruyamaRunEqualOneRunOfAllSamples() throws IOException {
    threeShardsEqualOneRun(euler());
  }

  @Test
  void threeShardsOfAnAdaptiveOdeRunEqualOneRunOfAllSamples() throws IOException {
    threeShardsEqualOneRun(ode());
  }

  @Test
  void aRerunSkipsFinishedShardsAndCleansUpAnInterruptedOne() throws IOException {
    Path model = tinyModel(dir);
    Path out = dir.resolve("out");
    try (NDManager m = NDManager.newBaseManager()) {
      ShardGenerator g = new ShardGenerator(new CheckpointStore(TestNetworks.FACTORY).load(model, m), euler());
      ShardGenerator.Result first = g.generate(new ShardPlan(COUNT, BATCH, 3, 1), 7, null, out);
      assertFalse(first.skipped());
      assertEquals(out.resolve("shard-00001-of-00003"), first.folder());
      assertEquals(List.of("sample-0000003.png", "sample-0000004.png", "sample-0000005.png"),
          first.manifest().files());
      var written = Files.getLastModifiedTime(first.folder().resolve("sample-0000003.png"));
      // a crash while writing shard 2 left a temporary folder behind
      Path stale = Files.createDirectories(out.resolve(".tmp-shard-00002-of-00003-crashed"));
      Files.writeString(stale.resolve("sample-0000006.png"), "half");
      ShardGenerator.Result again = g.generate(new ShardPlan(COUNT, BATCH, 3, 1), 7, null, out);
      assertTrue(again.skipped());
      assertEquals(first.manifest(), again.manifest());
      assertEquals(written, Files.getLastModifiedTime(first.folder().resolve("sample-0000003.png")), "not rewritten");
      assertFalse(g.generate(new ShardPlan(COUNT, BATCH, 3, 2), 7, null, out).skipped());
      try (Stream<Path> s = Files.list(out)) {
        assertEquals(List.of("shard-00001-of-00003", "shard-00002-of-00003"),
            s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary folders remain");
      }
      // the same folder for a run with another seed is refused, not mixed
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> g.generate(new ShardPlan(COUNT, BATCH, 3, 1), 8, null, out));
      assertTrue(e.getMessage().contains("another run"), e.getMessage());
    }
  }

  @Test
  void aClassLabelOutsideTheModelIsRejected() throws IOException {
    Path model = tinyModel(dir);
    try (NDManager m = NDManager.newBaseManager()) {
      ShardGenerator g = new ShardGenerator(new CheckpointStore(TestNetworks.FACTORY).load(model, m), euler());
      assertThrows(IllegalArgumentException.class,
          () -> g.generate(new ShardPlan(COUNT, BATCH, 1, 0), 7, 3, dir.resolve("x")));
    }
  }
}
