package dev.scoresde.api;

import dev.scoresde.serve.SamplerRequest;

/** The sampler parameters (including the fast solvers' timeGrid, eta and churn) shared by samples, inpaint and colorize requests. */
interface SamplerFields {
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

  default SamplerRequest toSamplerRequest() {
    return new SamplerRequest(sampler(), steps(), predictor(), corrector(), snr(), correctorSteps(), rtol(), atol(),
        timeGrid(), eta(), churn(), temperature());
  }
}
