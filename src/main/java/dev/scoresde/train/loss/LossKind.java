package dev.scoresde.train.loss;

import java.util.Locale;

/** The training objectives, by the names the job files use. */
public enum LossKind {
  /** Continuous denoising score matching, Eq. 7 (any SDE). */
  DSM("dsm"),
  /** Discrete SMLD / NCSN objective (VE SDE). */
  SMLD("smld"),
  /** Discrete DDPM noise-prediction objective (VP SDE). */
  DDPM("ddpm"),
  /** Sliced score matching with the finite-difference estimator (any SDE). */
  SSM("ssm"),
  /** Cross-entropy of a noise-conditional classifier (any SDE). */
  CLASSIFIER("classifier");

  private final String id;

  LossKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static LossKind parse(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
    for (LossKind k : values()) {
      if (k.id.equals(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + name + "' (expected dsm, smld, ddpm, ssm or classifier)");
  }
}
