package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;

/**
 * Continuous denoising score matching, Eq. 7 of Song et al. 2021:
 * E_t λ(t) E ‖s_θ(x(t), t) − ∇ log p_0t(x(t) | x(0))‖² with t ~ U(ε, T) and ∇ log p_0t = −z/σ(t).
 * Default weighting λ(t) = σ(t)² (loss ‖σ s_θ + z‖²); with likelihood weighting λ(t) = g(t)²
 * (Song et al. 2021b, "Maximum likelihood training of score-based diffusion models").
 *
 * @param eps the smallest training time (reference: 1e-5)
 * @param labelDropout probability of training a class-conditional network on "no label"
 */
public record DenoisingScoreMatching(Reduction reduction, boolean likelihoodWeighting, double eps, double labelDropout)
    implements TrainingLoss {

  @Override
  public NDArray loss(TrainableNetwork net, Batch batch, Rng rng) {
    NDArray x0 = batch.x();
    Sde sde = net.sde();
    NDArray t = Times.uniform(rng, x0.getManager(), eps, sde.endTime());
    NDArray z = rng.normal(x0.getManager(), x0.getShape());
    NDArray labels = net.spec().numClasses() > 0
        ? LabelDropout.apply(batch.labels(), net.spec().numClasses(), labelDropout, rng, x0)
        : null;
    NetworkScoreModel model = net.scoreModel(labels);
    NDArray std = sde.marginalStd(x0, t); // (batch, 1, ...)
    NDArray xt = sde.marginalMean(x0, t).add(z.mul(std));
    NDArray score = model.score(xt, t);
    if (!likelihoodWeighting) {
      return reduction.perRow(score.mul(std).add(z).square()).mean();
    }
    NDArray g2 = sde.diffusion(x0, t).square().reshape(-1);
    return reduction.perRow(score.add(z.div(std)).square()).mul(g2).mean();
  }
}
