package dev.scoresde.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.ArchitectureMismatchException;
import dev.scoresde.checkpoint.CheckpointLayout;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.TrainingState;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.testnet.TestNetworks;
import dev.scoresde.data.DataFixtures;
import dev.scoresde.data.FashionMnist;
import dev.scoresde.data.GaussianMixtureData;
import dev.scoresde.data.TrainingData;
import dev.scoresde.train.loss.LossKind;
import dev.scoresde.train.loss.LossSettings;
import dev.scoresde.train.loss.Reduction;
import dev.scoresde.optim.AdamSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path dir;

  /** Thrown by the abort hook: simulates a crash between checkpoints. */
  static final class Killed extends RuntimeException {
    Killed() {
      super("killed");
    }
  }

  record Setup(TrainingData data, NetworkSpec spec, Sde sde, LossSettings loss) {}

  /** Class-conditional 4×4 images padded to 6, DSM on VP with label dropout and network dropout. */
  Setup images() throws IOException {
    DataFixtures.fashionLike(dir.resolve("data"), "train", 20, 4);
    TrainingData data = FashionMnist.load(dir.resolve("data"), "train", 6, ValueRange.SYMMETRIC, 5);
    return new Setup(data, TestNetworks.mlpWithDropout(1, 6, 32, 10, 0.2), VpSde.paper(),
        new LossSettings(LossKind.DSM, Reduction.MEAN, false, 1e-5, 0.2, 0.01));
  }

  /** 2-D mixture, finite-difference sliced score matching on VE with likelihood weighting. */
  static Setup mixture() {
    return new Setup(GaussianMixtureData.ring(4, 1, 0.1, 5), TestNetworks.mlp(2, 0, 32, 0), new VeSde(0.01, 5, 1000),
        new LossSettings(LossKind.SSM, Reduction.SUM, true, 1e-5, 0, 0.01));
  }

  static TrainingJob job(Setup s, Path folder, long steps, int checkpointInterval, boolean resume) {
    TrainerSettings ts = new TrainerSettings(steps, 16, 1234, 5, checkpointInterval, 2, 0, 2, 2);
    return new TrainingJob("tiny", s.spec(), s.sde(), s.loss(), new AdamSettings(2e-3, 0.9, 0.999, 1e-8, 5, 1.0),
        0.9, true, ts, folder, resume);
  }

  static List<Double> run(TrainingJob job, TrainingData data, long killAfter) throws IOException {
    List<Double> losses = new ArrayList<>();
    Trainer t = new Trainer(job, data, TestNetworks.FACTORY, new SimpleMeterRegistry(), null, (step, loss) -> {
      losses.add(loss);
      if (step == killAfter) {
        throw new Killed();
      }
    });
    try {
      t.run();
    } catch (Killed expected) {
      // the crash
    }
    return losses;
  }

  static float[][] arrays(Path folder, String file, NDManager m) throws IOException {
    NDList l = CheckpointStore.readArrays(folder.resolve(file), m);
    l.sort((a, b) -> a.getName().compareTo(b.getName()));
    return l.stream().map(NDArray::toFloatArray).toArray(float[][]::new);
  }

  void killAndResumeContinuesTheSameRunBitForBit(Setup s) throws IOException {
    long steps = 20;
    Path straight = dir.resolve("straight");
    Path crashed = dir.resolve("crashed");
    List<Double> reference = run(job(s, straight, steps, 8, true), s.data(), -1);
    List<Double> beforeCrash = run(job(s, crashed, steps, 8, true), s.data(), 11);
    assertEquals(11, beforeCrash.size());
    assertEquals(dir.resolve("crashed/step-00000008"), CheckpointLayout.latest(crashed).orElseThrow());
    List<Double> afterResume = run(job(s, crashed, steps, 8, true), s.data(), -1);
    assertEquals(12, afterResume.size(), "resumed from step 8");
    assertEquals(reference.subList(0, 11), beforeCrash);
    assertEquals(reference.subList(8, 20), afterResume, "identical loss trajectory (bit-exact doubles)");
    Path a = straight.resolve("step-00000020");
    Path b = crashed.resolve("step-00000020");
    try (NDManager m = NDManager.newBaseManager()) {
      for (String file : List.of(CheckpointLayout.PARAMS, CheckpointLayout.EMA, CheckpointLayout.OPTIMIZER)) {
        float[][] x = arrays(a, file, m);
        float[][] y = arrays(b, file, m);
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
          assertArrayEquals(x[i], y[i], 0f, file + " array " + i + " bit-exact");
        }
      }
    }
    TrainingState sa = CheckpointStore.readState(a);
    TrainingState sb = CheckpointStore.readState(b);
    assertEquals(sa.lossHistory(), sb.lossHistory());
  }

  @Test
  void killAndResumeIsBitExactForClassConditionalImages() throws IOException {
    killAndResumeContinuesTheSameRunBitForBit(images());
  }

  @Test
  void killAndResumeIsBitExactForSlicedScoreMatchingOnMixtures() throws IOException {
    killAndResumeContinuesTheSameRunBitForBit(mixture());
  }

  @Test
  void aSmallNetworkOverfitsATinyDataset() throws IOException {
    DataFixtures.fashionLike(dir.resolve("data"), "train", 4, 4);
    TrainingData data = FashionMnist.load(dir.resolve("data"), "train", 4, ValueRange.SYMMETRIC, 5);
    Setup s = new Setup(data, TestNetworks.mlp(1, 4, 64, 0), VpSde.paper(),
        new LossSettings(LossKind.DSM, Reduction.MEAN, false, 1e-5, 0, 0.01));
    TrainerSettings ts = new TrainerSettings(120, 64, 7, 10, 1000, 1, 0, 1, 1);
    TrainingJob job = new TrainingJob("overfit", s.spec(), s.sde(), s.loss(),
        new AdamSettings(1e-2, 0.9, 0.999, 1e-8, 10, 1.0), 0.99, true, ts, dir.resolve("run"), true);
    Trainer.Result r = new Trainer(job, data, TestNetworks.FACTORY, new SimpleMeterRegistry(), null, null).run();
    double first = r.history().get(0).loss();
    double last = r.history().get(r.history().size() - 1).loss();
    assertTrue(last < first / 4, "loss fell from " + first + " to " + last);
  }

  @Test
  void refusesAnotherArchitectureAndAnOccupiedFolder() throws IOException {
    Setup s = mixture();
    Path folder = dir.resolve("run");
    run(job(s, folder, 5, 5, true), s.data(), -1);
    Setup wider = new Setup(s.data(), TestNetworks.mlp(2, 0, 48, 0), s.sde(), s.loss());
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> new Trainer(job(wider, folder, 10, 5, true), s.data(), TestNetworks.FACTORY, new SimpleMeterRegistry(),
            null, null).run());
    assertTrue(e.getMessage().contains("nf 32 vs 48"), e.getMessage());
    IllegalStateException occupied = assertThrows(IllegalStateException.class,
        () -> new Trainer(job(s, folder, 10, 5, false), s.data(), TestNetworks.FACTORY, new SimpleMeterRegistry(),
            null, null).run());
    assertTrue(occupied.getMessage().contains("resume: true"), occupied.getMessage());
  }

  /** A folder with only a serving export (card + EMA) is refused instead of silently starting over beside it. */
  @Test
  void refusesToStartOverBesideAServingExport() throws IOException {
    Setup s = mixture();
    Path folder = dir.resolve("run");
    run(job(s, folder, 5, 5, true), s.data(), -1);
    Path step = dev.scoresde.checkpoint.CheckpointLayout.latest(folder).orElseThrow();
    for (String f : new String[] {"params.safetensors", "optimizer.safetensors", "state.json"}) {
      java.nio.file.Files.delete(step.resolve(f));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Trainer(job(s, folder, 10, 5, true), s.data(), TestNetworks.FACTORY, new SimpleMeterRegistry(),
            null, null).run());
    assertTrue(e.getMessage().contains("serving export"), e.getMessage());
  }

  @Test
  void writesCardMetricsAndSampleGrids() throws IOException {
    Setup s = images();
    TrainerSettings ts = new TrainerSettings(6, 8, 3, 2, 3, 1, 3, 2, 3);
    TrainingJob job = new TrainingJob("grid", s.spec(), s.sde(), s.loss(), AdamSettings.paper(), 0.999, true, ts,
        dir.resolve("run"), true);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Long> seeds = new ArrayList<>();
    GridSampler sampler = (model, shape, count, seed, m) -> {
      seeds.add(seed);
      assertEquals(6, count);
      return m.zeros(shape.batchShape(count));
    };
    Trainer.Result r = new Trainer(job, s.data(), TestNetworks.FACTORY, registry, sampler, null).run();
    assertTrue(Files.isRegularFile(dir.resolve("run/samples/step-00000003.png")));
    assertTrue(Files.isRegularFile(dir.resolve("run/samples/step-00000006.png")));
    assertEquals(seeds.get(0), seeds.get(1), "every grid of a run uses the same seed");
    assertEquals(6, registry.get("scoresde.train.steps").counter().count());
    assertEquals(r.finalLoss(), registry.get("scoresde.train.loss").gauge().value(), 1e-12);
    ModelCard card = CheckpointStore.readCard(r.checkpoint());
    assertEquals(6, card.provenance().steps());
    assertEquals(4, card.data().originalSize());
    assertEquals(FashionMnist.CLASS_NAMES, card.classNames());
    assertEquals("dsm (mean, label dropout 0.2)", card.provenance().objective());
  }
}
