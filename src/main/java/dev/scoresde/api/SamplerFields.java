package dev.scoresde.api;

import dev.scoresde.serve.SamplerRequest;

/** The sampler parameters shared by samples, inpaint and colorize requests. */
interface SamplerFields {
  String sampler();

  Integer steps();

  String predictor();

  String corrector();

  Double snr();

  Integer correctorSteps();

  Double rtol();

  Double atol();

  Double temperature();

  default SamplerRequest toSamplerRequest() {
    return new SamplerRequest(sampler(), steps(), predictor(), corrector(), snr(), correctorSteps(), rtol(), atol(),
        temperature());
  }
}
