package dev.scoresde.serve.task;

/** A task on the probability-flow ODE (encode, decode, interpolate, likelihood): its sampler is "ode". */
interface OdeTask extends Task {

  @Override
  default String sampler() {
    return "ode";
  }
}
