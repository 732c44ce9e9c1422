package dev.scoresde.generate;

import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.sde.SdeKind;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code generate} profile's job, bound from {@code score-sde.generate.*}. Unset sampler fields keep
 * the paper's defaults for the model's SDE ({@link SamplerSettings#defaults}), read by the API's parser ({@link SamplerFields}).
 *
 * @param model a model folder or a training run folder (its newest checkpoint)
 * @param output the folder that receives shard-i-of-n/ folders
 * @param count total samples of the run (all shards together)
 * @param shards number of shards n (a Kubernetes Indexed Job's completions)
 * @param shard this process's shard i; application-generate.yml defaults it to JOB_COMPLETION_INDEX, else 0
 * @param batchSize samples per batch (fixes the batch boundaries shared by all shards)
 * @param seed the run's seed
 * @param device cpu (default), gpu, gpu0, gpu1, ...
 * @param classLabel a fixed class for class-conditional models (default: sample k gets class k mod K)
 * @param sampler pc, ode, euler-maruyama, reverse-diffusion, ancestral
 * @param predictor the PC predictor
 * @param corrector the PC corrector
 * @param steps PC steps N
 * @param snr the corrector's signal-to-noise ratio
 * @param correctorSteps corrector steps per noise level
 * @param denoising none, mean or tweedie
 * @param rtol the ODE solver's relative tolerance
 * @param atol the ODE solver's absolute tolerance
 * @param eps where sampling stops
 */
@ConfigurationProperties(prefix = "score-sde.generate")
public record GenerateProperties(Path model, Path output, Integer count, Integer shards, Integer shard,
    Integer batchSize, Long seed, String device, Integer classLabel, String sampler, String predictor,
    String corrector, Integer steps, Double snr, Integer correctorSteps, String denoising, Double rtol, Double atol,
    Double eps) {

  public static final int DEFAULT_BATCH = 64;

  /** The shard this process writes; throws with the property names when something is missing or out of range. */
  public ShardPlan plan() {
    if (model == null || output == null || count == null) {
      throw new IllegalArgumentException("score-sde.generate.model, .output and .count must be set");
    }
    return new ShardPlan(count, batchSize == null ? DEFAULT_BATCH : batchSize, shards == null ? 1 : shards,
        shard == null ? 0 : shard);
  }

  /** The sampler: the paper's defaults for {@code kind}, with every field that is set here replaced. */
  public SamplerSettings samplerSettings(SdeKind kind) {
    return new SamplerFields(sampler, predictor, corrector, steps, snr, correctorSteps, rtol, atol, eps, null, null,
        null, null, denoising).toSettings(kind);
  }

  public long seedOrDefault() {
    return seed == null ? 0 : seed;
  }

  public String deviceOrDefault() {
    return device == null || device.isBlank() ? "cpu" : device.trim();
  }
}
