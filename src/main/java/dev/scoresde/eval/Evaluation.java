package dev.scoresde.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.control.ClassifierFreeGuidance;
import dev.scoresde.control.ClassifierGuidance;
import dev.scoresde.score.TimeDependentClassifier;
import dev.scoresde.likelihood.BitsPerDim;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.score.ConditionalScoreModel;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import dev.scoresde.data.Batch;
import dev.scoresde.data.ImageArrayData;
import java.io.PrintStream;

/**
 * One evaluation of a score model (issue 4, item 6): N samples against N test images in the eval CNN's
 * feature space (Fréchet distance), the same distance between N train and N test images as the floor,
 * the share of class-conditional samples the eval CNN assigns to their intended class, and test bits/dim
 * through the probability-flow likelihood (Section 4.3, Table 2).
 */
public final class Evaluation {
  /** Resamples for the FD's bootstrap standard error. */
  static final int BOOTSTRAP = 100;
  private final ModelCard card;
  private final NetworkScoreModel model;
  private final EvalClassifier classifier;
  private final EvaluationSettings settings;
  private final Guide guide;

  /**
   * A time-dependent classifier that guides class-conditional samples of a model without labels
   * (classifier guidance, Section 5, Eq. 14) with the settings' guidance weight as its scale.
   *
   * @param classifier log p_t(y | x(t)) for the model's SDE
   * @param numClasses its K
   * @param name shown in the report
   */
  public record Guide(TimeDependentClassifier classifier, int numClasses, String name) {}

  /** An evaluation without a guidance classifier (class-conditional samples, if any, are classifier-free guided). */
  public Evaluation(ModelCard card, NetworkScoreModel model, EvalClassifier classifier, EvaluationSettings settings) {
    this(card, model, classifier, settings, null);
  }

  /**
   * @param card the score model's card (SDE, data shape, value range, classes)
   * @param model the score model (inference mode)
   * @param classifier the eval CNN
   * @param guide the guidance classifier of class-conditional samples, or null: then the model itself must be
   *     class-conditional for them (classifier-free guidance)
   */
  public Evaluation(ModelCard card, NetworkScoreModel model, EvalClassifier classifier, EvaluationSettings settings,
      Guide guide) {
    DataShape shape = card.data();
    int original = shape.originalSize() > 0 ? shape.originalSize() : shape.size();
    if (!shape.isImage() || shape.channels() != 1 || original != classifier.imageSize()) {
      throw new IllegalArgumentException("the eval CNN reads 1×" + classifier.imageSize() + "² images; the model makes "
          + shape.channels() + "×" + original + "² (padded to " + shape.size() + ")");
    }
    int classes = guide != null ? guide.numClasses() : card.network().numClasses();
    if (settings.classConditional() && classes != classifier.spec().numClasses()) {
      throw new IllegalArgumentException("class-conditional evaluation needs " + (guide != null ? "a guidance classifier"
          : "a model") + " with the eval CNN's " + classifier.spec().numClasses() + " classes; "
          + (guide != null ? guide.name() : card.name()) + " has " + classes);
    }
    settings.sampler().requireCompatible(card.sde().toSde().kind());
    this.card = card;
    this.model = model;
    this.classifier = classifier;
    this.settings = settings;
    this.guide = guide;
  }

  /**
   * @param trainSet train images for the floor, as the eval CNN reads them (its size, [0, 1])
   * @param testSet test images, likewise
   * @param testForModel the same test set in the model's shape and value range (for bits/dim)
   * @param log progress lines
   */
  public EvaluationReport run(ImageArrayData trainSet, ImageArrayData testSet, ImageArrayData testForModel,
      NDManager manager, PrintStream log) {
    return run(trainSet, testSet, testForModel, manager, log, null);
  }

  /**
   * Like {@link #run(ImageArrayData, ImageArrayData, ImageArrayData, NDManager, PrintStream)}; {@code firstBatch},
   * if not null, receives the first sampler call's samples (model range and shape, sample i labelled i mod K),
   * in {@code manager}, e.g. for a sample grid.
   */
  public EvaluationReport run(ImageArrayData trainSet, ImageArrayData testSet, ImageArrayData testForModel,
      NDManager manager, PrintStream log, NDArray[] firstBatch) {
    long t0 = System.nanoTime();
    int n = settings.n();
    Reference reference = Reference.of(classifier, trainSet, testSet, n, settings.batchSize(), manager);
    FeatureSet test = reference.test();
    double floor = reference.floor();
    log.printf("floor (train vs test, n = %d): %.3f; eval CNN accuracy on the test images %.4f%n", n, floor,
        test.accuracy());

    long ts = System.nanoTime();
    double[][] features = new double[n][];
    int hits = 0;
    long nfe = 0;
    int calls = 0;
    Rng all = Rng.of(settings.seed(), n);
    Sde sde = model.sde();
    int k = classifier.spec().numClasses();
    for (int from = 0; from < n; from += settings.batchSize()) {
      int to = Math.min(n, from + settings.batchSize());
      try (NDManager scope = manager.newSubManager()) {
        Rng rng = all.slice(from, to);
        int[] labels = new int[to - from];
        for (int i = from; i < to; i++) {
          labels[i - from] = i % k;
        }
        NDArray xT = settings.sampler().drawPrior(sde, scope, card.data().batchShape(to - from), rng);
        SampleResult r = settings.sampler().toSampler().sample(scoreFor(scope.create(labels)), sde, xT,
            SamplingContext.of(rng));
        nfe += r.nfe();
        calls++;
        if (from == 0 && firstBatch != null) {
          firstBatch[0] = r.samples().duplicate();
          firstBatch[0].attach(manager);
        }
        EvalClassifier.Output out = classifier.classify(forClassifier(r.samples()));
        for (int i = 0; i < labels.length; i++) {
          features[from + i] = out.features()[i];
          hits += out.predicted()[i] == labels[i] ? 1 : 0;
        }
      }
      log.printf("sampled %d/%d (%.0f s)%n", to, n, (System.nanoTime() - ts) / 1e9);
    }
    double samplingSeconds = (System.nanoTime() - ts) / 1e9;
    double fd = reference.target().distance(features);
    double fdError = reference.target().bootstrapError(features, BOOTSTRAP, settings.seed());
    // Printed before the likelihood starts, so a likelihood failure never hides the sample metrics.
    log.printf(java.util.Locale.ROOT, "samples: FD %.3f ± %.3f (floor %.3f, ratio %.2f), intended class %s, %.1f NFE per call, %.0f s%n",
        fd, fdError, floor, fd / floor, settings.classConditional() ? String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * hits / n)
            : "n/a", (double) nfe / calls, samplingSeconds);

    long tl = System.nanoTime();
    TestBitsPerDim bpd;
    String likelihoodFailure = null;
    try {
      bpd = settings.likelihoodImages() == 0 ? TestBitsPerDim.NONE : bitsPerDim(testForModel, manager, log);
    } catch (RuntimeException e) {
      likelihoodFailure = e.getMessage() == null ? e.toString() : e.getMessage();
      log.printf("bits/dim failed: %s%n", likelihoodFailure);
      bpd = TestBitsPerDim.NONE;
    }
    double likelihoodSeconds = (System.nanoTime() - tl) / 1e9;
    String guidance = !settings.classConditional() ? "unconditional"
        : "class-conditional (labels i mod " + k + "), " + (guide != null
            ? "classifier guidance by " + guide.name() + ", scale w = " : "classifier-free guidance weight w = ")
            + settings.guidanceWeight();
    return new EvaluationReport(card.name(), SamplerDescription.of(settings.sampler()), n, guidance, fd, fdError, floor,
        settings.classConditional() ? (double) hits / n : Double.NaN, test.accuracy(), bpd.mean(), bpd.error(),
        settings.likelihoodImages(), likelihoodFailure, (double) nfe / calls, bpd.nfe(), samplingSeconds,
        likelihoodSeconds, (System.nanoTime() - t0) / 1e9, settings.seed());
  }

  /**
   * The score the sampler follows: guided towards {@code labels} (batch) int32 by the guide or classifier-free,
   * or unconditional.
   */
  private ScoreModel scoreFor(NDArray labels) {
    if (!settings.classConditional()) {
      return model;
    }
    if (guide != null) {
      return new ClassifierGuidance(model, guide.classifier(), labels, settings.guidanceWeight());
    }
    ConditionalScoreModel conditional = new ConditionalScoreModel() {
      @Override
      public int numClasses() {
        return model.spec().numClasses();
      }

      @Override
      public NDArray score(NDArray x, NDArray t, NDArray y) {
        return model.withLabels(y).score(x, t);
      }
    };
    return new ClassifierFreeGuidance(conditional, labels, settings.guidanceWeight());
  }

  /**
   * Samples (batch, 1, size, size) in the model's range → what the eval CNN reads: mapped to [0, 1], clipped,
   * rounded to 8-bit levels k/255 as a saved image would be, and cropped to the original size.
   */
  NDArray forClassifier(NDArray samples) {
    NDArray unit = Scalars.div(BitsPerDim.quantize(samples, card.valueRange()), 255);
    int pad = card.data().padding();
    if (pad == 0) {
      return unit;
    }
    int s = classifier.imageSize();
    return unit.get(":, :, " + pad + ":" + (pad + s) + ", " + pad + ":" + (pad + s));
  }

  private TestBitsPerDim bitsPerDim(ImageArrayData testForModel, NDManager manager, PrintStream log) {
    try (NDManager scope = manager.newSubManager()) {
      Batch images = EvalSets.first(testForModel, settings.likelihoodImages(), scope);
      return TestBitsPerDim.measure(model.sde(), model, card.valueRange(), settings.likelihood(), images.x(),
          settings.likelihoodBatch(), settings.seed() + 1, scope, log);
    }
  }

  /**
   * The model-independent part of an evaluation: the eval CNN's features of the first n test images and the
   * floor, the Fréchet distance between them and the first n train images; {@code target} is the test features'
   * side of every distance.
   */
  public record Reference(FeatureSet test, FrechetDistance.Target target, double floor) {

    public static Reference of(EvalClassifier classifier, ImageArrayData trainSet, ImageArrayData testSet, int n,
        int batchSize, NDManager manager) {
      FeatureSet test = FeatureSet.of(classifier, testSet, n, batchSize, manager);
      FeatureSet train = FeatureSet.of(classifier, trainSet, n, batchSize, manager);
      FrechetDistance.Target target = FrechetDistance.Target.of(test.features());
      return new Reference(test, target, target.distance(train.features()));
    }

    /** The eval CNN's accuracy on the n test images. */
    public double testAccuracy() {
      return test.accuracy();
    }
  }
}
