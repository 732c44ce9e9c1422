package dev.scoresde.eval.job;

import dev.scoresde.cli.Options;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.eval.ColorizationEvaluation;
import dev.scoresde.eval.EvalClassifier;
import dev.scoresde.eval.Evaluation;
import dev.scoresde.eval.EvaluationReport;
import dev.scoresde.eval.EvaluationSettings;
import dev.scoresde.eval.NoisyClassifierEvaluation;
import dev.scoresde.likelihood.DivergenceEstimator;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.settings.InvalidFieldException;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.image.ImageGrid;
import dev.scoresde.data.FashionMnist;
import dev.scoresde.data.ImageFolderData;
import dev.scoresde.data.ImageArrayData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar target/score-sde.jar --spring.profiles.active=evaluate --model=DIR [options]}: evaluates a
 * Fashion-MNIST score model (see docs/evaluation.md for every option and number), prints a markdown block
 * and optionally appends it to {@code --append=FILE}.
 */
@Component
@Profile("evaluate")
class EvaluationRunner implements ApplicationRunner {
  private final NetworkFactory factory;

  EvaluationRunner(NetworkFactory factory) {
    this.factory = factory;
  }

  @Override
  public void run(ApplicationArguments args) {
    Options o = new Options(args);
    if (o.flag("floor-only")) {
      floorOnly(o);
      return;
    }
    if (!o.has("model")) {
      throw new IllegalArgumentException("--model=DIR is required: a model folder or a run folder (its newest step)");
    }
    Path data = o.path("data", FashionMnist.DEBIAN_FOLDER);
    long seed = o.number("seed", 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(factory).load(o.path("model", null), manager);
      ModelCard card = loaded.card();
      if (card.isClassifier()) {
        classifier(o, loaded, data, seed, manager);
        return;
      }
      if (card.data().channels() == 3) {
        colorization(o, loaded, seed, manager);
        return;
      }
      EvalClassifier classifier = EvalClassifier.load(o.path("classifier", EvalClassifier.SHIPPED), manager);
      Evaluation.Guide guide = o.has("guidance-classifier") ? guide(o.path("guidance-classifier", null), card, manager)
          : null;
      boolean conditional = (guide != null || card.network().numClasses() > 0) && !o.flag("unconditional");
      // Classifier guidance defaults to the paper's conditional SDE (scale 1); classifier-free to plain conditional.
      double weight = conditional ? o.real("guidance", guide != null ? 1 : 0) : 0;
      EvaluationSettings settings = new EvaluationSettings(o.integer("n", 1000), o.integer("batch", 100),
          sampler(o, card.sde().toSde().kind()), conditional, weight, o.integer("likelihood-images", 200),
          o.integer("likelihood-batch", 50), likelihood(o), seed);
      int size = classifier.imageSize();
      ImageArrayData train = FashionMnist.load(data, "train", size, ValueRange.UNIT, seed);
      ImageArrayData test = FashionMnist.load(data, "t10k", size, ValueRange.UNIT, seed);
      ImageArrayData testForModel = FashionMnist.load(data, "t10k", card.data().size(), card.valueRange(), seed);
      System.out.printf("evaluating %s (%s)%n", card.name(), loaded.folder());
      NDArray[] first = new NDArray[1];
      EvaluationReport report = new Evaluation(card, loaded.scoreModel(), classifier, settings, guide)
          .run(train, test, testForModel, manager, System.out, o.has("grid") ? first : null);
      String block = report.markdown();
      if (o.has("grid")) {
        // Sample i has label i mod K, so with K columns each column is one class.
        int cols = conditional ? classifier.spec().numClasses() : 10;
        int rows = Math.max(1, Math.min(10, Math.toIntExact(first[0].getShape().get(0)) / cols));
        Path png = o.path("grid", null);
        ImageGrid.write(first[0].get("0:" + rows * cols), card.data(), card.valueRange(), rows, cols,
            o.integer("grid-scale", 2), png);
        block += "\nGrid of the first " + rows * cols + " samples" + (conditional ? " (column k: class k)" : "") + ": `"
            + png + "`\n";
      }
      publish(o, block, loaded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** --guidance-classifier=DIR: a time-dependent classifier trained on the score model's SDE. */
  private Evaluation.Guide guide(Path folder, ModelCard model, NDManager manager) throws IOException {
    LoadedModel loaded = new CheckpointStore(factory).load(folder, manager);
    ModelCard card = loaded.card();
    if (!card.isClassifier()) {
      throw new IllegalArgumentException("--guidance-classifier=" + folder + " holds a score model, not a classifier");
    }
    if (!card.sde().equals(model.sde())) {
      throw new IllegalArgumentException("the guidance classifier " + card.name() + " was trained on " + card.sde()
          + ", the model on " + model.sde() + "; its p_t(y | x) would be read at the wrong noise levels");
    }
    if (!card.data().equals(model.data()) || !card.valueRange().equals(model.valueRange())) {
      throw new IllegalArgumentException("the guidance classifier " + card.name() + " reads " + card.data() + " in "
          + card.valueRange() + ", the model makes " + model.data() + " in " + model.valueRange());
    }
    return new Evaluation.Guide(loaded.classifier(), card.network().numClasses(), card.name());
  }

  /**
   * A time-dependent (guidance) classifier: accuracy and cross-entropy on --n test images perturbed to each of
   * --times (default 0.01, 0.1, 0.2, …, 1).
   */
  private static void classifier(Options o, LoadedModel loaded, Path data, long seed, NDManager manager)
      throws IOException {
    ModelCard card = loaded.card();
    int n = o.integer("n", 1000);
    double[] times = o.has("times")
        ? java.util.Arrays.stream(o.text("times", null).split(",")).mapToDouble(Double::parseDouble).toArray()
        : new double[] {0.01, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    ImageArrayData test = FashionMnist.load(data, "t10k", card.data().size(), card.valueRange(), seed);
    System.out.printf("evaluating the time-dependent classifier %s (%s)%n", card.name(), loaded.folder());
    long t0 = System.nanoTime();
    List<NoisyClassifierEvaluation.Row> rows = NoisyClassifierEvaluation.run(loaded.classifier(),
        card.sde().toSde(), test, n, o.integer("batch", 250), times, seed, manager);
    String block = "### Evaluation of " + card.name() + " (time-dependent classifier)\n\n"
        + "Test images perturbed by the " + card.sde().kind() + " SDE to time t: x(t) = α(t)·x(0) + σ(t)·z, seed "
        + seed + ", " + String.format(java.util.Locale.ROOT, "%.0f s", (System.nanoTime() - t0) / 1e9) + ".\n\n"
        + NoisyClassifierEvaluation.markdown(rows, n);
    publish(o, block, loaded);
  }

  /**
   * A 3-channel (photo) model: colorization of --n random crops of --photos (default the held-out wallpaper), with
   * an optional --grid=PNG of the first 8 (rows: truth, gray input, colorized).
   */
  private static void colorization(Options o, LoadedModel loaded, long seed, NDManager manager) throws IOException {
    ModelCard card = loaded.card();
    String photos = o.text("photos", HELD_OUT_PHOTO);
    int n = o.integer("n", 200);
    int resize = o.integer("resize", 96);
    ImageFolderData data = ImageFolderData.load(photos, card.data().size(), resize, card.valueRange(), seed);
    NDArray truth = data.batch(0, n, manager).x();
    SamplerSettings sampler = sampler(o, card.sde().toSde().kind(), "sde-dpm-solver++2m", 50);
    ColorizationEvaluation.Settings settings = new ColorizationEvaluation.Settings(o.integer("batch", 50), sampler,
        o.integer("likelihood-images", 20), o.integer("likelihood-batch", 20), likelihood(o), seed,
        o.real("measurement-guidance", 0));
    System.out.printf("colorizing %d crops of %s with %s (%s)%n", n, photos, card.name(), loaded.folder());
    NDArray[] grid = new NDArray[3];
    ColorizationEvaluation.Report report = new ColorizationEvaluation(card, loaded.scoreModel(), loaded.scoreModel().sde(), settings)
        .run(truth, data.description(), manager, System.out, grid);
    String block = report.markdown();
    if (o.has("grid")) {
      int cols = Math.min(8, n);
      // A fourth row: unconditional samples of the model with the same sampler (what it has learnt of photos).
      NDArray free;
      try (NDManager scope = manager.newSubManager()) {
        Rng rng = Rng.of(seed + 2, cols);
        NDArray xT = sampler.drawPrior(loaded.scoreModel().sde(), scope, card.data().batchShape(cols), rng);
        free = sampler.toSampler().sample(loaded.scoreModel(), loaded.scoreModel().sde(), xT, SamplingContext.of(rng))
            .samples();
        free.attach(manager);
      }
      NDArray rows = NDArrays.concat(new NDList(grid[0].get("0:" + cols), grid[1].get("0:" + cols),
          grid[2].get("0:" + cols), free));
      Path png = o.path("grid", null);
      ImageGrid.write(rows, card.data(), card.valueRange(), 4, cols, o.integer("grid-scale", 3), png);
      block += "\nGrid (rows: true crop, gray input, colorized, unconditional samples): `" + png + "`\n";
    }
    publish(o, block, loaded);
  }

  /** The wallpaper the photo job leaves out (jobs/photos-ddpmpp-vp.yml): crops the model never saw. */
  static final String HELD_OUT_PHOTO = "/usr/share/wallpapers/EveningGlow/contents/images/1920x1080.jpg";

  /** Prints a report's markdown block with the model folder, and appends it to --append=FILE if given. */
  private static void publish(Options o, String markdown, LoadedModel loaded) throws IOException {
    String block = markdown + "\nModel folder: `" + loaded.folder() + "`\n";
    System.out.println();
    System.out.println(block);
    if (o.has("append")) {
      Files.writeString(o.path("append", null), "\n" + block, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  /** --floor-only: the floor and the eval CNN's test accuracy at --n, for each of --seeds=K seeds (default 1). */
  private static void floorOnly(Options o) {
    Path data = o.path("data", FashionMnist.DEBIAN_FOLDER);
    int n = o.integer("n", 1000);
    long seed = o.number("seed", 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      EvalClassifier classifier = EvalClassifier.load(o.path("classifier", EvalClassifier.SHIPPED), manager);
      int size = classifier.imageSize();
      System.out.println("| seed | n | floor FD (train vs test) | eval-CNN accuracy on the n test images |");
      System.out.println("|---|---|---|---|");
      for (long s = seed; s < seed + o.integer("seeds", 1); s++) {
        ImageArrayData train = FashionMnist.load(data, "train", size, ValueRange.UNIT, s);
        ImageArrayData test = FashionMnist.load(data, "t10k", size, ValueRange.UNIT, s);
        Evaluation.Reference r = Evaluation.Reference.of(classifier, train, test, n, 250, manager);
        System.out.printf(java.util.Locale.ROOT, "| %d | %d | %.3f | %.2f %% |%n", s, n, r.floor(),
            100 * r.testAccuracy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The probability-flow ODE at the paper's tolerances unless options say otherwise. */
  static SamplerSettings sampler(Options o, SdeKind kind) {
    return sampler(o, kind, "ode", PcSettings.PAPER_STEPS);
  }

  /**
   * The sampler of --sampler (default {@code sampler} with {@code steps} steps) and its options, by the API's
   * names and through its parser ({@link SamplerFields}); a mistake names its option.
   */
  static SamplerSettings sampler(Options o, SdeKind kind, String sampler, int steps) {
    Integer n = o.has("steps") ? Integer.valueOf(o.integer("steps", steps)) : o.has("sampler") ? null : steps;
    SamplerFields f = new SamplerFields(o.text("sampler", sampler), o.text("predictor", null),
        o.text("corrector", null), n, real(o, "snr"),
        o.has("corrector-steps") ? Integer.valueOf(o.integer("corrector-steps", 1)) : null, real(o, "rtol"),
        real(o, "atol"), real(o, "eps"), o.text("time-grid", null), real(o, "eta"), real(o, "churn"),
        real(o, "temperature"), o.text("denoising", null));
    try {
      return f.toSettings(kind);
    } catch (InvalidFieldException e) {
      throw new IllegalArgumentException("--" + OPTIONS.getOrDefault(e.field(), e.field()) + ": " + e.getMessage(), e);
    }
  }

  /** The options whose names differ from the API's fields. */
  private static final java.util.Map<String, String> OPTIONS = java.util.Map.of("correctorSteps", "corrector-steps",
      "timeGrid", "time-grid");

  private static Double real(Options o, String name) {
    return o.has(name) ? Double.valueOf(o.real(name, 0)) : null;
  }

  /** The reference's likelihood settings (tolerances 1e-5, one Rademacher probe) unless options say otherwise. */
  static LikelihoodSettings likelihood(Options o) {
    LikelihoodSettings l = LikelihoodSettings.defaults();
    return l.withTolerances(o.real("likelihood-rtol", l.rtol()), o.real("likelihood-atol", l.atol()))
        .withEps(o.real("likelihood-eps", l.eps()))
        .withEstimator(o.has("estimator") ? DivergenceEstimator.valueOf(o.text("estimator", null).trim().toUpperCase(java.util.Locale.ROOT)) : l.estimator(),
            o.integer("probes", l.probes()));
  }
}
