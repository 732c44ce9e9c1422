package dev.scoresde.train.loss;

/**
 * The objective of a run.
 *
 * @param kind which objective
 * @param reduction mean over dimensions or half their sum
 * @param likelihoodWeighting λ(t) = g(t)² instead of σ(t)² (continuous objectives only)
 * @param eps the smallest training time
 * @param labelDropout probability of "no label" for class-conditional score networks
 * @param ssmRelativeStep the finite-difference step of sliced score matching, relative to σ(t)
 */
public record LossSettings(LossKind kind, Reduction reduction, boolean likelihoodWeighting, double eps,
    double labelDropout, double ssmRelativeStep) {

  public LossSettings {
    if (!(eps > 0 && eps < 1)) {
      throw new IllegalArgumentException("loss eps must be in (0, 1), got " + eps);
    }
    if (!(labelDropout >= 0 && labelDropout <= 1)) {
      throw new IllegalArgumentException("label dropout must be in [0, 1], got " + labelDropout);
    }
    if (likelihoodWeighting && (kind == LossKind.SMLD || kind == LossKind.DDPM || kind == LossKind.CLASSIFIER)) {
      throw new IllegalArgumentException("likelihood weighting applies to the continuous dsm and ssm losses, not "
          + kind.id());
    }
    if (!(ssmRelativeStep > 0 && ssmRelativeStep < 1)) {
      throw new IllegalArgumentException("ssm relative step must be in (0, 1), got " + ssmRelativeStep);
    }
  }

  public TrainingLoss build() {
    return switch (kind) {
      case DSM -> new DenoisingScoreMatching(reduction, likelihoodWeighting, eps, labelDropout);
      case SMLD -> new SmldLoss(reduction, labelDropout);
      case DDPM -> new DdpmLoss(reduction, labelDropout);
      case SSM -> new SlicedScoreMatching(reduction, likelihoodWeighting, eps, labelDropout, ssmRelativeStep);
      case CLASSIFIER -> new ClassifierLoss(eps);
    };
  }
}
