package dev.scoresde.serve.model;

import dev.scoresde.sampling.settings.SamplerFields;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The served models, bound from {@code score-sde.models.<name>.*}: a checkpoint folder (a model folder or a
 * training run folder, whose newest complete checkpoint is served) or the built-in analytic
 * {@code gaussian-mixture} model.
 */
@ConfigurationProperties(prefix = "score-sde")
public record ModelsProperties(Map<String, Model> models) {

  public ModelsProperties {
    models = models == null ? Map.of() : new LinkedHashMap<>(models);
  }

  /**
   * @param kind "checkpoint" (default) or "gaussian-mixture"
   * @param folder the model or run folder (checkpoint models)
   * @param device "cpu" (default) or "gpu"/"gpu0"…
   * @param enabled false to list the model without loading it (default true)
   * @param mixture the analytic model's definition (gaussian-mixture models)
   * @param classifier a noise-conditional classifier's folder for classifier guidance (checkpoint models)
   * @param guidance the guidance a class-conditional request gets when it names none (default: the paper's)
   * @param sampler the sampler fields a request gets when it names none, by their API names (default: the
   *     paper's sampler for the SDE); the served models' measured best (docs/evaluation.md)
   */
  public record Model(String kind, Path folder, String device, Boolean enabled, Mixture mixture, Path classifier,
      Guidance guidance, SamplerFields sampler) {

    /** The guidance defaults, the paper's where not configured. */
    public ServedModel.GuidanceDefaults guidanceOrDefault() {
      ServedModel.GuidanceDefaults paper = ServedModel.GuidanceDefaults.PAPER;
      return guidance == null ? paper : new ServedModel.GuidanceDefaults(
          guidance.classifier() == null ? paper.classifierScale() : guidance.classifier(),
          guidance.classifierFree() == null ? paper.classifierFreeWeight() : guidance.classifierFree(),
          guidance.measurement() == null ? paper.measurementWeight() : guidance.measurement());
    }

    public String kindOrDefault() {
      return kind == null || kind.isBlank() ? "checkpoint" : kind.trim();
    }

    public boolean isEnabled() {
      return enabled == null || enabled;
    }

    public String deviceOrDefault() {
      return device == null || device.isBlank() ? "cpu" : device.trim();
    }
  }

  /**
   * Default guidance of class-conditional requests that give no {@code guidance}, set per model from its
   * evaluation (docs/evaluation.md).
   *
   * @param classifier classifier-guidance scale w (default 1, the paper's conditional SDE)
   * @param classifierFree classifier-free guidance weight w (default 0, plain conditional sampling)
   */
  public record Guidance(Double classifier, Double classifierFree, Double measurement) {}

  /**
   * An isotropic Gaussian mixture p₀ = Σ_k π_k N(μ_k, σ_k² I): a named preset, or explicit components.
   * Dimensions d = c·s² are shown as c × s × s images (c = {@code channels}), others as vectors.
   *
   * @param preset "patterns-16" (4 striped and checkered 4×4 patterns) or empty for explicit components
   * @param means μ_k, each of length d
   * @param stds σ_k per component
   * @param weights π_k (default uniform)
   * @param classNames one per component (default "0", "1", …)
   * @param sde the forward SDE: ve, vp (default) or subvp, with the paper's parameters
   * @param channels image channels c (default 1): d = c·s² is shown as c × s × s images
   */
  public record Mixture(String preset, List<List<Double>> means, List<Double> stds, List<Double> weights,
      List<String> classNames, String sde, Integer channels) {}
}
