package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sde.LinearBetaSchedule;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;

/**
 * The discrete DDPM objective of Ho et al. 2020 (the paper's Eq. 3): a random step i per row,
 * x_i = sqrt(ᾱ_i) x + sqrt(1 − ᾱ_i) z, loss ‖ε_θ(x_i, i) − z‖². The network predicts the noise and
 * sees i as 999·t_i (= i for N = 1000). Needs the VP SDE, whose discretization is the DDPM chain.
 */
public final class DdpmLoss implements TrainingLoss {
  private final Reduction reduction;
  private final double labelDropout;
  private LinearBetaSchedule cachedFor;
  private double[] sqrtAlphaBar; // (N)
  private double[] sqrtOneMinusAlphaBar; // (N)

  public DdpmLoss(Reduction reduction, double labelDropout) {
    this.reduction = reduction;
    this.labelDropout = labelDropout;
  }

  @Override
  public NDArray loss(TrainableNetwork net, Batch batch, Rng rng) {
    if (!(net.sde() instanceof VpSde vp)) {
      throw new IllegalArgumentException("the DDPM loss needs the VP SDE, got " + net.sde().kind().id());
    }
    tables(vp.schedule());
    NDArray x0 = batch.x();
    int n = vp.steps();
    int[] levels = Times.levels(rng, x0.getManager(), n);
    NDArray t = Times.ofLevels(levels, n, vp.endTime(), x0.getManager());
    NDArray z = rng.normal(x0.getManager(), x0.getShape());
    NDArray labels = net.spec().numClasses() > 0
        ? LabelDropout.apply(batch.labels(), net.spec().numClasses(), labelDropout, rng, x0)
        : null;
    double[] a = new double[levels.length];
    double[] b = new double[levels.length];
    for (int r = 0; r < levels.length; r++) {
      a[r] = sqrtAlphaBar[levels[r]];
      b[r] = sqrtOneMinusAlphaBar[levels[r]];
    }
    NDArray xi = x0.mul(Times.perRow(x0, a)).add(z.mul(Times.perRow(x0, b)));
    NDArray predicted = net.scoreModel(labels).rawOutput(xi, t);
    return reduction.perRow(predicted.sub(z).square()).mean();
  }

  private synchronized void tables(LinearBetaSchedule s) {
    if (s.equals(cachedFor)) {
      return;
    }
    int n = s.steps();
    sqrtAlphaBar = new double[n];
    sqrtOneMinusAlphaBar = new double[n];
    double p = 1;
    for (int i = 0; i < n; i++) {
      p *= 1 - s.discreteBeta(i);
      sqrtAlphaBar[i] = Math.sqrt(p);
      sqrtOneMinusAlphaBar[i] = Math.sqrt(1 - p);
    }
    cachedFor = s;
  }
}
