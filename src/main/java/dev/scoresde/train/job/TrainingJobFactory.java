package dev.scoresde.train.job;

import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.train.TrainerSettings;
import dev.scoresde.train.TrainingJob;
import dev.scoresde.data.FashionMnist;
import dev.scoresde.data.GaussianMixtureData;
import dev.scoresde.data.ImageFolderData;
import dev.scoresde.data.TrainingData;
import dev.scoresde.train.job.TrainingJobException.Kind;
import dev.scoresde.train.job.TrainingProperties.Data;
import dev.scoresde.train.loss.LossKind;
import dev.scoresde.train.loss.LossSettings;
import dev.scoresde.train.loss.Reduction;
import dev.scoresde.optim.AdamSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns {@link TrainingProperties} into a {@link TrainingJob} and its data: applies the defaults, checks
 * every value and their combinations, and reports all problems at once before any data is read.
 */
public final class TrainingJobFactory {
  private final Function<String, NetworkSpec> presets;

  /** @param presets network presets by name (throws IllegalArgumentException for an unknown name) */
  public TrainingJobFactory(Function<String, NetworkSpec> presets) {
    this.presets = presets;
  }

  /** A validated job and the description of its data, before the data is loaded. */
  public record Plan(TrainingJob job, TrainingProperties properties, DataKind dataKind, DataShape shape,
      ValueRange range) {}

  /** The dataset kinds, by the names the job files use. */
  public enum DataKind {
    FASHION_MNIST("fashion-mnist", 10), IMAGE_FOLDER("image-folder", 0), GAUSSIAN_MIXTURE("gaussian-mixture", -1);

    final String id;
    final int classes;

    DataKind(String id, int classes) {
      this.id = id;
      this.classes = classes;
    }
  }

  /**
   * Validates {@code p}.
   *
   * @throws TrainingJobException of kind CONFIG listing every problem
   */
  public Plan plan(TrainingProperties p) {
    Problems problems = new Problems();
    if (p == null) {
      throw new TrainingJobException(Kind.CONFIG, "no score-sde.train settings: pass a job file with"
          + " --spring.config.additional-location=job.yml");
    }
    Data d = p.data() == null ? new Data(null, null, null, null, null, null, null, null, null, null) : p.data();
    DataKind kind = problems.get("data.kind", () -> dataKind(d.kind()));
    ValueRange range = problems.get("data.value-range", () -> range(d.valueRange()));
    DataShape shape = kind == null ? null : problems.get("data", () -> shape(kind, d));
    int dataClasses = kind == null ? 0 : kind == DataKind.GAUSSIAN_MIXTURE ? or(d.components(), 8) : kind.classes;
    Sde sde = problems.get("sde", () -> sde(p.sde()));
    LossSettings loss = problems.get("loss", () -> loss(p.loss()));
    boolean conditional = or(p.classConditional(), false);
    if (loss != null && kind != null) {
      problems.check(!conditional || dataClasses > 0, "class-conditional",
          "class-conditional training needs labelled data, and " + kind.id + " has no labels");
      problems.check(loss.kind() != LossKind.CLASSIFIER || dataClasses > 0, "loss.kind",
          "the classifier loss needs labelled data, and " + kind.id + " has no labels");
      problems.check(loss.labelDropout() == 0 || conditional, "loss.label-dropout",
          "label dropout needs class-conditional: true");
    }
    if (loss != null && sde != null) {
      problems.check(loss.kind() != LossKind.SMLD || sde.kind() == SdeKind.VE, "loss.kind",
          "the smld loss needs sde.kind: ve");
      problems.check(loss.kind() != LossKind.DDPM || sde.kind() == SdeKind.VP, "loss.kind",
          "the ddpm loss needs sde.kind: vp");
    }
    NetworkSpec spec = null;
    if (shape != null && loss != null) {
      boolean classifier = loss.kind() == LossKind.CLASSIFIER;
      int classes = classifier || conditional ? dataClasses : 0;
      spec = problems.get("network", () -> NetworkSpecs.resolve(p.network(), presets, shape, classes));
      if (spec != null) {
        problems.check(classifier == (spec.architecture() == Architecture.CLASSIFIER), "network.architecture",
            classifier ? "the classifier loss needs a classifier network, got " + spec.architecture()
                : "a classifier network needs loss.kind: classifier");
      }
    }
    var opt = p.optim();
    AdamSettings adam = problems.get("optim", () -> opt == null ? AdamSettings.paper() : new AdamSettings(
        or(opt.lr(), 2e-4), or(opt.beta1(), 0.9), or(opt.beta2(), 0.999), or(opt.eps(), 1e-8), or(opt.warmup(), 5000L),
        or(opt.gradClip(), 1.0)));
    double emaRate = p.ema() == null ? 0.999 : or(p.ema().rate(), 0.999);
    boolean emaWarmup = p.ema() == null || or(p.ema().warmup(), true);
    problems.check(emaRate >= 0 && emaRate < 1, "ema.rate", "must be in [0, 1), got " + emaRate);
    var ck = p.checkpoint();
    problems.check(ck != null && ck.folder() != null && !ck.folder().isBlank(), "checkpoint.folder",
        "is required (the run folder that receives step-NNNNNNNN checkpoints)");
    var grid = p.sampleGrid();
    TrainerSettings settings = problems.get("", () -> new TrainerSettings(
        need(p.steps(), "score-sde.train.steps"), or(p.batchSize(), 64), or(p.seed(), 0L), or(p.logInterval(), 100),
        ck == null ? 1000 : or(ck.interval(), 1000), ck == null ? 2 : or(ck.keep(), 2),
        grid == null ? 0 : or(grid.interval(), 0), grid == null ? 8 : or(grid.rows(), 8),
        grid == null ? 8 : or(grid.cols(), 8)));
    problems.get("devices", () -> TrainingDevices.parse(p.devices()));
    problems.throwIfAny();
    Path folder = Path.of(ck.folder());
    boolean resume = ck.resume() == null || ck.resume();
    String name = p.name() != null && !p.name().isBlank() ? p.name() : folder.getFileName().toString();
    TrainingJob job = new TrainingJob(name, spec, sde, loss, adam, emaRate, emaWarmup, settings, folder, resume);
    return new Plan(job, p, kind, shape, range);
  }

  /** Loads the plan's data; a missing dataset is a DATA failure with the path in the message. */
  public TrainingData load(Plan plan) {
    Data d = plan.properties().data();
    long seed = plan.job().settings().seed();
    try {
      return switch (plan.dataKind()) {
        case FASHION_MNIST -> FashionMnist.load(Path.of(or(d.path(), FashionMnist.DEBIAN_FOLDER.toString())),
            or(d.split(), "train"), plan.shape().size(), plan.range(), seed);
        case IMAGE_FOLDER -> ImageFolderData.load(d.path(), plan.shape().size(), or(d.resize(), 64), plan.range(),
            seed);
        case GAUSSIAN_MIXTURE -> GaussianMixtureData.ring(or(d.components(), 8), or(d.radius(), 2.0),
            or(d.std(), 0.1), seed);
      };
    } catch (IOException | RuntimeException e) {
      throw new TrainingJobException(Kind.DATA, "cannot load the " + plan.dataKind().id + " dataset: "
          + e.getMessage(), e);
    }
  }

  private static DataKind dataKind(String kind) {
    if (kind == null) {
      throw new IllegalArgumentException("is required: fashion-mnist, image-folder or gaussian-mixture");
    }
    for (DataKind k : DataKind.values()) {
      if (k.id.equals(kind.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown '" + kind + "' (expected fashion-mnist, image-folder or"
        + " gaussian-mixture)");
  }

  private static ValueRange range(List<Double> v) {
    if (v == null) {
      return ValueRange.SYMMETRIC;
    }
    if (v.size() != 2 || v.get(0) == null || v.get(1) == null) {
      throw new IllegalArgumentException("must be [min, max], got " + v);
    }
    return new ValueRange(v.get(0), v.get(1));
  }

  private static DataShape shape(DataKind kind, Data d) {
    return switch (kind) {
      case FASHION_MNIST -> {
        int pad = or(d.padTo(), 32);
        if (pad < 28 || (pad - 28) % 2 != 0) {
          throw new IllegalArgumentException("pad-to must be 28 or more by an even number, got " + pad);
        }
        yield DataShape.image(1, pad, 28);
      }
      case IMAGE_FOLDER -> {
        if (d.path() == null || d.path().isBlank()) {
          throw new IllegalArgumentException("path is required for image-folder (a folder or a glob of images)");
        }
        int size = or(d.imageSize(), 32);
        int resize = or(d.resize(), 64);
        if (size < 4 || (resize != 0 && resize < size)) {
          throw new IllegalArgumentException("need image-size ≥ 4 and resize 0 or ≥ image-size, got " + size
              + " and " + resize);
        }
        yield DataShape.image(3, size, size);
      }
      case GAUSSIAN_MIXTURE -> {
        if (or(d.components(), 8) < 1 || !(or(d.std(), 0.1) > 0)) {
          throw new IllegalArgumentException("gaussian-mixture needs components ≥ 1 and std > 0");
        }
        yield DataShape.vector(2);
      }
    };
  }

  private static Sde sde(TrainingProperties.Sde s) {
    if (s == null || s.kind() == null) {
      throw new IllegalArgumentException("kind is required: ve, vp or subvp");
    }
    int steps = or(s.steps(), 1000);
    return switch (SdeKind.parse(s.kind())) {
      case VE -> SdeSpec.ve(or(s.sigmaMin(), 0.01), or(s.sigmaMax(), 50.0), steps).toSde();
      case VP -> SdeSpec.vp(or(s.betaMin(), 0.1), or(s.betaMax(), 20.0), steps).toSde();
      case SUBVP -> SdeSpec.subVp(or(s.betaMin(), 0.1), or(s.betaMax(), 20.0), steps).toSde();
    };
  }

  private static LossSettings loss(TrainingProperties.Loss l) {
    if (l == null) {
      return new LossSettings(LossKind.DSM, Reduction.SUM, false, 1e-5, 0, 0.01);
    }
    return new LossSettings(LossKind.parse(or(l.kind(), "dsm")), Reduction.parse(or(l.reduction(), "sum")),
        or(l.likelihoodWeighting(), false), or(l.eps(), 1e-5), or(l.labelDropout(), 0.0),
        or(l.ssmRelativeStep(), 0.01));
  }

  static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static <T> T need(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  /** Collects "key: message" problems so that one run reports all of them. */
  static final class Problems {
    private final List<String> list = new ArrayList<>();

    <T> T get(String key, Supplier<T> build) {
      try {
        return build.get();
      } catch (IllegalArgumentException e) {
        add(key, e.getMessage());
        return null;
      }
    }

    void check(boolean ok, String key, String message) {
      if (!ok) {
        add(key, message);
      }
    }

    private void add(String key, String message) {
      list.add(key.isEmpty() ? message : "score-sde.train." + key + ": " + message);
    }

    void throwIfAny() {
      if (!list.isEmpty()) {
        throw new TrainingJobException(Kind.CONFIG, "invalid training job:\n  - " + String.join("\n  - ", list));
      }
    }
  }
}
