package dev.scoresde.serve.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.control.ClassifierFreeGuidance;
import dev.scoresde.control.ClassifierGuidance;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.score.TimeDependentClassifier;
import dev.scoresde.sampling.CorrectorKind;
import dev.scoresde.sampling.settings.PcSettings;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.score.ConditionalScoreModel;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.tensor.ValueRange;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model ready to serve: its SDE, data shape and range, the unconditional score, and — for
 * class-conditional models — a conditional score (classifier-free guidance) and/or a time-dependent
 * classifier (classifier guidance). Weights live in {@code manager}; each request works in a sub-manager.
 *
 * @param name the registry name
 * @param kind "checkpoint" or "gaussian-mixture"
 * @param description what the model is (its card's name and provenance, or the mixture)
 * @param sde the forward SDE the model was trained for
 * @param shape one example's shape
 * @param range the data's value range
 * @param classNames class names by label (empty when unconditional)
 * @param score s(x, t), unconditional
 * @param conditional s(x, t, y), or null
 * @param classifier log p_t(y | x), or null
 * @param manager owns the weights
 * @param details extra facts for GET /v1/models/{name} (provenance, folder)
 * @param guidance what a class-conditional request that names no guidance gets
 * @param sampler the sampler fields a request that names none gets (null: the paper's sampler)
 */
public record ServedModel(String name, String kind, String description, Sde sde, DataShape shape, ValueRange range,
    List<String> classNames, ScoreModel score, ConditionalScoreModel conditional, TimeDependentClassifier classifier,
    NDManager manager, Map<String, Object> details, GuidanceDefaults guidance, SamplerFields sampler)
    implements AutoCloseable {

  public ServedModel {
    guidance = guidance == null ? GuidanceDefaults.PAPER : guidance;
  }

  /** A model served with the paper's sampler defaults. */
  public ServedModel(String name, String kind, String description, Sde sde, DataShape shape, ValueRange range,
      List<String> classNames, ScoreModel score, ConditionalScoreModel conditional, TimeDependentClassifier classifier,
      NDManager manager, Map<String, Object> details, GuidanceDefaults guidance) {
    this(name, kind, description, sde, shape, range, classNames, score, conditional, classifier, manager, details,
        guidance, null);
  }

  /**
   * @param classifierScale classifier-guidance scale w ≥ 0
   * @param classifierFreeWeight classifier-free guidance weight w ≥ 0
   * @param measurementWeight the weight of measurement guidance in inpainting and colorization
   *     ({@link dev.scoresde.control.MeasurementGuidance}; 0 = the paper's replacement alone)
   */
  public record GuidanceDefaults(double classifierScale, double classifierFreeWeight, double measurementWeight) {
    /** The paper's conditional SDE (scale 1), plain conditional sampling (weight 0) and replacement alone. */
    public static final GuidanceDefaults PAPER = new GuidanceDefaults(1, 0, 0);

    public GuidanceDefaults {
      for (double w : new double[] {classifierScale, classifierFreeWeight, measurementWeight}) {
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException("guidance defaults must be finite and ≥ 0, got classifier "
              + classifierScale + ", classifier-free " + classifierFreeWeight + ", measurement " + measurementWeight);
        }
      }
    }

    /** Two-weight form: no measurement guidance. */
    public GuidanceDefaults(double classifierScale, double classifierFreeWeight) {
      this(classifierScale, classifierFreeWeight, 0);
    }
  }

  /** The same model with other guidance defaults. */
  public ServedModel withGuidance(GuidanceDefaults g) {
    return new ServedModel(name, kind, description, sde, shape, range, classNames, score, conditional, classifier,
        manager, details, g, sampler);
  }

  /** The same model with other sampler defaults (null: the paper's); they are checked here. */
  public ServedModel withSampler(SamplerFields defaults) {
    ServedModel m = new ServedModel(name, kind, description, sde, shape, range, classNames, score, conditional,
        classifier, manager, details, guidance, defaults);
    m.samplerDefaults(); // bad defaults fail at load, not on the first request
    return m;
  }

  /** What this model can do: image operations need image data; colorization needs three channels. */
  public Set<OperationKind> operations() {
    Set<OperationKind> ops = EnumSet.of(OperationKind.SAMPLES, OperationKind.INTERPOLATE, OperationKind.DECODE);
    if (shape.isImage() && (shape.channels() == 1 || shape.channels() == 3)) {
      ops.add(OperationKind.INPAINT);
      ops.add(OperationKind.ENCODE);
      ops.add(OperationKind.LIKELIHOOD);
      if (shape.channels() == 3) {
        ops.add(OperationKind.COLORIZE);
      }
    }
    return ops;
  }

  /** The {@link #kind()} of the built-in analytic models ({@link MixtureModels}). */
  public static final String GAUSSIAN_MIXTURE = "gaussian-mixture";

  /**
   * The sampler settings a request starts from: the configured {@link #sampler()} fields, else the paper's
   * defaults for the SDE, except that the analytic
   * Gaussian-mixture models never default to a Langevin corrector. Their data have few dimensions (16, 48),
   * where the per-row Langevin step ε = 2α(r‖z‖/‖s‖)² — derived for high-dimensional images, where ‖z‖²
   * ≈ d — is badly biased (docs/benchmarks.md, "Analytic report", a 2-D mixture: SW₁ 0.8–54 against a floor of
   * 0.07). For
   * them the VE default is the reverse-diffusion predictor alone (VP and sub-VP already default to
   * Euler–Maruyama without corrector). A request may still ask for a corrector explicitly.
   */
  public SamplerSettings samplerDefaults() {
    return sampler == null ? paperDefaults()
        : sampler.toSettings(paperDefaults(), sde.kind(), SamplerFields.Limits.SETTINGS);
  }

  private SamplerSettings paperDefaults() {
    PcSettings paper = SamplerSettings.defaults(sde.kind());
    if (GAUSSIAN_MIXTURE.equals(kind) && paper.corrector() != CorrectorKind.NONE) {
      return paper.predictorAlone();
    }
    return paper;
  }

  /**
   * A request's sampler fields (null: none) over the model's configured {@link #sampler()} defaults
   * ({@link SamplerFields#over}) and {@link #samplerDefaults()}, within the server's limits; a mistake is an
   * {@link dev.scoresde.sampling.settings.InvalidFieldException} naming the field.
   */
  public SamplerSettings samplerSettings(SamplerFields fields, ServeProperties props) {
    return (fields == null ? SamplerFields.NONE : fields).over(sampler).toSettings(paperDefaults(), sde.kind(),
        props.samplerLimits());
  }

  /** The guidance a class label gets when the request names none: classifier-free if there is a conditional score. */
  public GuidanceMode defaultGuidanceMode() {
    return conditional != null ? GuidanceMode.CLASSIFIER_FREE : GuidanceMode.CLASSIFIER;
  }

  /** The score a sampler follows for these labels (batch) under {@code mode} with weight or scale {@code w}. */
  public ScoreModel guidedScore(GuidanceMode mode, NDArray labels, double w) {
    return switch (mode) {
      case NONE -> score;
      case CLASSIFIER_FREE -> new ClassifierFreeGuidance(conditional, labels, w);
      case CLASSIFIER -> new ClassifierGuidance(score, classifier, labels, w);
    };
  }

  /** The guidance modes a class label can use here: classifier-free with a conditional score, classifier with a classifier. */
  public List<GuidanceMode> guidanceModes() {
    List<GuidanceMode> modes = new java.util.ArrayList<>();
    if (conditional != null) {
      modes.add(GuidanceMode.CLASSIFIER_FREE);
    }
    if (classifier != null) {
      modes.add(GuidanceMode.CLASSIFIER);
    }
    return modes;
  }

  public boolean isConditional() {
    return conditional != null || classifier != null;
  }

  /** The label of a class given by id ("3") or name ("sneaker"). */
  public int classLabel(String value) {
    if (!isConditional() || classNames.isEmpty()) {
      throw new InvalidRequestException("classLabel", "model '" + name + "' is not class-conditional");
    }
    String v = value.trim();
    for (int i = 0; i < classNames.size(); i++) {
      if (classNames.get(i).equalsIgnoreCase(v)) {
        return i;
      }
    }
    try {
      int k = Integer.parseInt(v);
      if (k >= 0 && k < classNames.size()) {
        return k;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new InvalidRequestException("classLabel", "unknown class '" + value + "' for model '" + name
        + "' (ids 0.." + (classNames.size() - 1) + " or names " + classNames + ")");
  }

  public void require(OperationKind op) {
    if (!operations().contains(op)) {
      throw new ServeException(ServeException.Kind.UNSUPPORTED, "model '" + name + "' does not support "
          + op.id() + " (it supports " + operations().stream().map(OperationKind::id).toList() + ")");
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
