package dev.scoresde.serve.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.scoresde.sampling.settings.SamplerFields;
import java.util.List;

/**
 * What an operation reports beside its images and latents, one record per kind of task, in the order the API
 * shows the fields. Every one counts its score-model evaluations (NFE).
 */
public sealed interface Metadata {

  int nfe();

  /** The task's compute time, from start to result. */
  long wallTimeMs();

  /**
   * Samples.
   *
   * @param sampler what picked the sampler ({@link SamplerFields#choice}, with snr)
   * @param classLabel the class (class-conditional requests), else null, as are its name and guidance
   * @param batchRows rows of the batch the request ran in
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Sample(String model, @JsonUnwrapped SamplerFields sampler, int nfe, long seed, double temperature,
      Integer classLabel, String className, String guidanceMode, Double guidance, long wallTimeMs, int batchRows)
      implements Metadata {}

  /**
   * Inpainting and colorization.
   *
   * @param sampler what picked the sampler ({@link SamplerFields#choice}, without snr)
   * @param guidance the measurement-guidance weight
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Edit(String model, @JsonUnwrapped SamplerFields sampler, int nfe, long seed, double temperature,
      double guidance, long wallTimeMs, int batchRows) implements Metadata {}

  /**
   * Encode, decode and interpolate on the probability-flow ODE.
   *
   * @param endpoints interpolate: "images" or "seeds", else null (as are the seeds, frames and method)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Flow(String model, String sampler, double rtol, double atol, String endpoints, Long seedA, Long seedB,
      Integer frames, String method, int nfe, long wallTimeMs) implements Metadata {}

  /**
   * Bits/dim of each image.
   *
   * @param standardError per image across the probes (null where undefined: one probe, or the exact divergence)
   * @param probes Hutchinson probes per image (0 for the exact divergence)
   */
  record Likelihood(String model, List<Double> bitsPerDim, List<Double> standardError, String estimator, int probes,
      double rtol, double atol, int nfe, long seed, long wallTimeMs) implements Metadata {}
}
