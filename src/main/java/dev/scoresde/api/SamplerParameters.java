package dev.scoresde.api;

import dev.scoresde.sampling.settings.SamplerFields;

/**
 * The sampler parameters of the samples, inpaint and colorize bodies (each declares them with its own schema
 * text): the fields of {@link SamplerFields}, which parses them.
 */
interface SamplerParameters {
  String sampler();

  Integer steps();

  String predictor();

  String corrector();

  Double snr();

  Integer correctorSteps();

  Double rtol();

  Double atol();

  String timeGrid();

  Double eta();

  Double churn();

  Double temperature();

  default SamplerFields toSamplerFields() {
    return new SamplerFields(sampler(), predictor(), corrector(), steps(), snr(), correctorSteps(), rtol(), atol(),
        null, timeGrid(), eta(), churn(), temperature(), null);
  }
}
