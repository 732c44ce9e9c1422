package dev.scoresde.sampling.settings;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.tensor.Rng;

/**
 * What picks and tunes one sampler: a record per sampler family, each validated on construction and building
 * its sampler. {@link SamplerFields} reads them from the API's names; {@link #fields()} writes them back.
 */
public sealed interface SamplerSettings
    permits PcSettings, ProbabilityFlowSettings, DpmSolverSettings, HeunSettings, DdimSettings {

  /** The most steps any sampler takes. */
  int MAX_STEPS = 10_000;

  /** The sampler's API name. */
  SamplerKind kind();

  Endpoints endpoints();

  Sampler toSampler();

  /** These settings by the API's field names ({@link SamplerFields#of}); the fields this sampler does not use are null. */
  default SamplerFields fields() {
    return SamplerFields.of(this);
  }

  /** Throws IllegalArgumentException if these settings do not work with this SDE. */
  default SamplerSettings requireCompatible(SdeKind kind) {
    return this;
  }

  /** Whether the sampler couples a batch's rows, so that a row's sample depends on its companions. */
  default boolean couplesRows() {
    return false;
  }

  /** x_T = τ·z for these settings' temperature: {@link Endpoints#drawPrior}. */
  default NDArray drawPrior(Sde sde, NDManager manager, Shape shape, Rng rng) {
    return endpoints().drawPrior(sde, manager, shape, rng);
  }

  /** The paper's PC sampler for this SDE: {@link PcSettings#paper}. */
  static PcSettings defaults(SdeKind kind) {
    return PcSettings.paper(kind);
  }

  /** Steps of a PC sampler or a fast solver: at least 2, at most {@link #MAX_STEPS}. */
  static int requireSteps(int steps) {
    if (steps < 2 || steps > MAX_STEPS) {
      throw new IllegalArgumentException("steps must be between 2 and " + MAX_STEPS + ", got " + steps);
    }
    return steps;
  }

  /** {@code value} in [0, max] (NaN is not), else an IllegalArgumentException naming it. */
  static double requireIn(String name, double value, Number max) {
    if (!(value >= 0) || !(value <= max.doubleValue())) {
      throw new IllegalArgumentException(name + " must be in [0, " + max + "], got " + value);
    }
    return value;
  }

  /**
   * Checks what every fast solver has, its steps and endpoints, and returns its grid ({@code grid}, or null for
   * {@code kind}'s default).
   */
  static TimeGridKind solverGrid(SamplerKind kind, int steps, TimeGridKind grid, Endpoints endpoints) {
    if (endpoints == null) {
      throw new IllegalArgumentException("endpoints must be given");
    }
    requireSteps(steps);
    return grid == null ? kind.defaultGrid() : grid;
  }
}
