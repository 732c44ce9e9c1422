package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sde.VeSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;

/**
 * The discrete SMLD (NCSN) objective of Song and Ermon 2019 as in the paper's Eq. 1: a random noise
 * level σ_i per row, loss σ_i² ‖s_θ(x + σ_i z, σ_i) + z/σ_i‖². Needs the VE SDE, whose levels σ_i are
 * the SMLD chain's; the network sees level i at the time t_i with σ(t_i) = σ_i.
 */
public record SmldLoss(Reduction reduction, double labelDropout) implements TrainingLoss {

  @Override
  public NDArray loss(TrainableNetwork net, Batch batch, Rng rng) {
    if (!(net.sde() instanceof VeSde ve)) {
      throw new IllegalArgumentException("the SMLD loss needs the VE SDE, got " + net.sde().kind().id());
    }
    NDArray x0 = batch.x();
    int n = ve.steps();
    int[] levels = Times.levels(rng, x0.getManager(), n);
    NDArray t = Times.ofLevels(levels, n, ve.endTime(), x0.getManager());
    NDArray z = rng.normal(x0.getManager(), x0.getShape());
    NDArray labels = net.spec().numClasses() > 0
        ? LabelDropout.apply(batch.labels(), net.spec().numClasses(), labelDropout, rng, x0)
        : null;
    double[] sigmas = new double[levels.length];
    for (int r = 0; r < levels.length; r++) {
      sigmas[r] = ve.discreteSigma(levels[r]);
    }
    NDArray sigma = Times.perRow(x0, sigmas); // (batch, 1, ...)
    NDArray score = net.scoreModel(labels).score(x0.add(z.mul(sigma)), t);
    NDArray sigma2 = sigma.square().reshape(-1);
    return reduction.perRow(score.add(z.div(sigma)).square()).mul(sigma2).mean();
  }
}
