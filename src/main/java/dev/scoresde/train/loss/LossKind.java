package dev.scoresde.train.loss;

import dev.scoresde.names.Names;

/** The training objectives, by the names the job files use. */
public enum LossKind implements Names.Named {
  /** Continuous denoising score matching, Eq. 7 (any SDE). */
  DSM,
  /** Discrete SMLD / NCSN objective (VE SDE). */
  SMLD,
  /** Discrete DDPM noise-prediction objective (VP SDE). */
  DDPM,
  /** Sliced score matching with the finite-difference estimator (any SDE). */
  SSM,
  /** Cross-entropy of a noise-conditional classifier (any SDE). */
  CLASSIFIER;

  public static LossKind parse(String name) {
    return Names.parse("loss", name, values());
  }
}
