package dev.scoresde.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.scoresde.checkpoint.Checkpoint;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.checkpoint.TrainingState;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Networks;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.data.FashionMnist;
import dev.scoresde.data.ImageArrayData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation end to end on a tiny random-initialised score network and eval CNN, on synthetic 8×8 images. */
class EvaluationTest {
  static final NetworkSpec SCORE = NetworkSpec.ddpmpp().channels(1).imageSize(8).nf(8).chMult(1, 2).numResBlocks(1)
      .numClasses(10).build();
  static final NetworkSpec CNN = NetworkSpec.featureCnn().channels(1).imageSize(8).nf(4).chMult(1, 2).numResBlocks(0)
      .numClasses(10).build();
  static final NetworkFactory FACTORY = NetworkFactory.NETWORKS;
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir
  Path dir;

  @Test
  void reportsFiniteNumbersAndTheFloorReproducibly() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(FACTORY).load(writeScoreModel(m), m);
      EvalClassifier cnn = tinyCnn(m);
      EvaluationSettings s = new EvaluationSettings(20, 8, SamplerSettings.defaults(SdeKind.VP).withSteps(3), true, 1.0,
          3, 2, LikelihoodSettings.defaults().withTolerances(1e-1, 1e-1).withEps(1e-2), 11);
      EvaluationReport r = new Evaluation(loaded.card(), loaded.scoreModel(), cnn, s)
          .run(images(100, ValueRange.UNIT, 1), images(60, ValueRange.UNIT, 2), images(60, ValueRange.SYMMETRIC, 2), m,
              QUIET);
      for (double v : new double[] {r.frechetDistance(), r.floor(), r.bitsPerDim(), r.bitsPerDimError(),
          r.likelihoodNfe(), r.samplingSeconds(), r.likelihoodSeconds(), r.totalSeconds()}) {
        assertTrue(Double.isFinite(v), r.toString());
      }
      assertTrue(r.floor() > 0, "train and test subsets differ, so their distance is positive: " + r);
      assertTrue(r.frechetDistance() >= 0);
      assertTrue(r.classAccuracy() >= 0 && r.classAccuracy() <= 1);
      assertTrue(r.classifierAccuracy() >= 0 && r.classifierAccuracy() <= 1);
      assertEquals(3, r.samplingNfe(), "three Euler–Maruyama steps, one score evaluation each");
      assertTrue(r.bitsPerDim() > 0, "bits/dim of 8-bit data under a continuous model is positive: " + r);
      assertTrue(r.markdown().contains(String.format(java.util.Locale.ROOT, "%.3f", r.frechetDistance())));

      EvaluationSettings noLikelihood = new EvaluationSettings(s.n(), s.batchSize(), s.sampler(), true, 1.0, 0, 1,
          s.likelihood(), s.seed());
      EvaluationReport again = new Evaluation(loaded.card(), loaded.scoreModel(), cnn, noLikelihood)
          .run(images(100, ValueRange.UNIT, 1), images(60, ValueRange.UNIT, 2), images(60, ValueRange.SYMMETRIC, 2), m,
              QUIET);
      assertEquals(r.frechetDistance(), again.frechetDistance(), 1e-9);
      assertEquals(r.floor(), again.floor(), 0);
      assertTrue(Double.isNaN(again.bitsPerDim()));
    }
  }

  /** A likelihood that cannot finish (here: a one-step solver budget) is reported, and the sample metrics stand. */
  @Test
  void aFailingLikelihoodKeepsTheSampleMetrics() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(FACTORY).load(writeScoreModel(m), m);
      EvalClassifier cnn = tinyCnn(m);
      LikelihoodSettings l = LikelihoodSettings.defaults();
      LikelihoodSettings oneStep = new LikelihoodSettings(1e-6, 1e-6, 1e-3, l.estimator(), l.probes(), 1);
      EvaluationSettings s = new EvaluationSettings(20, 8, SamplerSettings.defaults(SdeKind.VP).withSteps(3), true, 1.0,
          2, 2, oneStep, 11);
      java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
      EvaluationReport r = new Evaluation(loaded.card(), loaded.scoreModel(), cnn, s)
          .run(images(100, ValueRange.UNIT, 1), images(60, ValueRange.UNIT, 2), images(60, ValueRange.SYMMETRIC, 2), m,
              new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(r.likelihoodFailure() != null && r.likelihoodFailure().contains("exceeded"), r.toString());
      assertTrue(Double.isNaN(r.bitsPerDim()));
      assertTrue(Double.isFinite(r.frechetDistance()) && r.frechetDistance() >= 0, r.toString());
      assertTrue(r.markdown().contains("failed: "), r.markdown());
      String printed = log.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(printed.indexOf("samples: FD") >= 0 && printed.indexOf("samples: FD") < printed.indexOf("bits/dim failed"),
          "the sample metrics are printed before the likelihood runs: " + printed);
    }
  }

  /**
   * Classifier guidance by a guide whose log p_t(y | x) has zero gradient leaves every sample as the model's own
   * unconditional one: same seeds, so the same FD to the last digit; the guide is evaluated at every step.
   */
  @Test
  void aFlatGuidanceClassifierReproducesUnconditionalSamples() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(FACTORY).load(writeScoreModel(m), m);
      EvalClassifier cnn = tinyCnn(m);
      java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
      dev.scoresde.score.TimeDependentClassifier flat = (x, t) -> {
        calls.incrementAndGet();
        long b = x.getShape().get(0);
        NDArray zero = dev.scoresde.tensor.Scalars.mul(x.sum(new int[] {1, 2, 3}), 0).reshape(b, 1);
        return dev.scoresde.tensor.Scalars.add(zero.broadcast(new Shape(b, 10)), -Math.log(10));
      };
      SamplerSettings sampler = SamplerSettings.defaults(SdeKind.VP).withSteps(3);
      EvaluationSettings guided = new EvaluationSettings(20, 8, sampler, true, 5.0, 0, 1, LikelihoodSettings.defaults(),
          11);
      EvaluationSettings plain = new EvaluationSettings(20, 8, sampler, false, 0, 0, 1, LikelihoodSettings.defaults(),
          11);
      EvaluationReport g = new Evaluation(loaded.card(), loaded.scoreModel(), cnn, guided,
          new Evaluation.Guide(flat, 10, "flat")).run(images(100, ValueRange.UNIT, 1), images(60, ValueRange.UNIT, 2),
              images(60, ValueRange.SYMMETRIC, 2), m, QUIET);
      EvaluationReport u = new Evaluation(loaded.card(), loaded.scoreModel(), cnn, plain)
          .run(images(100, ValueRange.UNIT, 1), images(60, ValueRange.UNIT, 2), images(60, ValueRange.SYMMETRIC, 2), m,
              QUIET);
      assertEquals(u.frechetDistance(), g.frechetDistance(), 1e-9);
      assertEquals(3 * 3, calls.get(), "three batches of three steps");
      assertTrue(g.guidance().contains("classifier guidance by flat, scale w = 5.0"), g.guidance());
      assertTrue(g.classAccuracy() >= 0 && g.classAccuracy() <= 1);
    }
  }

  @Test
  void rejectsAGuidanceClassifierWithOtherClassesThanTheEvalCnn() {
    try (NDManager m = NDManager.newBaseManager()) {
      EvaluationSettings s = new EvaluationSettings(2, 2, SamplerSettings.defaults(SdeKind.VP), true, 1, 0, 1,
          LikelihoodSettings.defaults(), 0);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Evaluation(
          card(DataShape.image(1, 8, 8)), null, tinyCnn(m), s, new Evaluation.Guide((x, t) -> x, 5, "five")));
      assertTrue(e.getMessage().contains("five has 5"), e.getMessage());
    }
  }

  /** Samples of a padded model are mapped from its range to [0, 1], rounded to 8 bits and centre-cropped. */
  @Test
  void samplesAreCroppedAndRescaledForTheClassifier() {
    try (NDManager m = NDManager.newBaseManager()) {
      ModelCard padded = card(DataShape.image(1, 12, 8));
      Evaluation e = new Evaluation(padded, null, tinyCnn(m), new EvaluationSettings(2, 2,
          SamplerSettings.defaults(SdeKind.VP), false, 0, 0, 1, LikelihoodSettings.defaults(), 0));
      NDArray x = m.full(new Shape(2, 1, 12, 12), -1f);
      x.set(new ai.djl.ndarray.index.NDIndex(":, :, 2:10, 2:10"), 0.5f);
      NDArray out = e.forClassifier(x);
      assertEquals(new Shape(2, 1, 8, 8), out.getShape());
      float expected = Math.round(0.75f * 255) / 255f;
      for (float v : out.toFloatArray()) {
        assertEquals(expected, v, 1e-6f);
      }
    }
  }

  @Test
  void rejectsAModelOfAnotherImageSize() {
    try (NDManager m = NDManager.newBaseManager()) {
      EvaluationSettings s = new EvaluationSettings(2, 2, SamplerSettings.defaults(SdeKind.VP), false, 0, 0, 1,
          LikelihoodSettings.defaults(), 0);
      assertThrows(IllegalArgumentException.class,
          () -> new Evaluation(card(DataShape.image(1, 16, 16)), null, tinyCnn(m), s));
    }
  }

  private Path writeScoreModel(NDManager m) throws IOException {
    Block net = Networks.create(SCORE);
    Networks.initialize(net, SCORE, m, 3);
    NamedParameters p = NamedParameters.of(net);
    new CheckpointWriter(dir, 1).write(new Checkpoint(card(DataShape.image(1, 8, 8)), p.toNamedList(""),
        p.toNamedList(""), new NDList(), new TrainingState(1, 0, List.of(), 0, 0, 0)));
    return dir;
  }

  private static ModelCard card(DataShape shape) {
    return new ModelCard(ModelCard.FORMAT_VERSION, "tiny", SdeSpec.vp(0.1, 20, 1000), SCORE, shape,
        ValueRange.SYMMETRIC, FashionMnist.CLASS_NAMES, 0.999,
        new Provenance("none", "none", 1, 1, 0, Double.NaN, "2026-01-01T00:00:00Z"));
  }

  private static EvalClassifier tinyCnn(NDManager m) {
    Block net = Networks.create(CNN);
    Networks.initialize(net, CNN, m, 5);
    return EvalClassifier.of(net, CNN, m);
  }

  /** n random 8×8 images with labels i mod 10, drawn from {@code seed}, in {@code range}. */
  private static ImageArrayData images(int n, ValueRange range, long seed) {
    byte[] pixels = new byte[n * 64];
    new SplittableRandom(seed).nextBytes(pixels);
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10;
    }
    return new ImageArrayData(pixels, labels, 1, 8, 8, range, FashionMnist.CLASS_NAMES, "random " + seed, 0);
  }
}
