package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import dev.scoresde.data.Batch;

/**
 * Sliced score matching (Song et al. 2019) on perturbed data x(t), with the finite-difference estimator
 * of Pang et al. 2020 ("Efficient learning of generative models via finite-difference score matching"),
 * so that no second-order gradient is needed: for a Rademacher slice v and a± = vᵀ s_θ(x ± h v, t),
 * J = (a₊ + a₋)²/8 + (a₊ − a₋)/(2h) estimates ½(vᵀ s_θ)² + vᵀ ∇ₓ(vᵀ s_θ) to O(h²). Both points go
 * through the network as one batch of 2B rows. The step is relative to the noise level, h = κ σ(t),
 * because the perturbed density varies on the scale σ(t).
 *
 * <p>Weighting matches {@link DenoisingScoreMatching}: λ(t) = σ(t)² or, with likelihood weighting,
 * g(t)²; with SUM reduction J equals the DSM loss minus a constant, with MEAN it is scaled by 2/d.
 *
 * @param relativeStep κ, the finite-difference step as a fraction of σ(t)
 */
public record SlicedScoreMatching(Reduction reduction, boolean likelihoodWeighting, double eps,
    double labelDropout, double relativeStep) implements TrainingLoss {

  @Override
  public NDArray loss(TrainableNetwork net, Batch batch, Rng rng) {
    NDArray x0 = batch.x();
    Sde sde = net.sde();
    long b = x0.getShape().get(0);
    NDArray t = Times.uniform(rng, x0.getManager(), eps, sde.endTime());
    NDArray z = rng.normal(x0.getManager(), x0.getShape());
    NDArray v = rng.rademacher(x0.getManager(), x0.getShape());
    NDArray labels = net.spec().numClasses() > 0
        ? LabelDropout.apply(batch.labels(), net.spec().numClasses(), labelDropout, rng, x0)
        : null;
    NDArray std = sde.marginalStd(x0, t); // (batch, 1, ...)
    NDArray xt = sde.marginalMean(x0, t).add(z.mul(std));
    NDArray hv = v.mul(Scalars.mul(std, (float) relativeStep));
    NDArray both = NDArrays.concat(new NDList(xt.add(hv), xt.sub(hv)));
    NDArray tt = NDArrays.concat(new NDList(t, t));
    NetworkScoreModel model = net.scoreModel(labels == null ? null : NDArrays.concat(new NDList(labels, labels)));
    NDArray s = model.score(both, tt).reshape(2 * b, -1);
    NDArray vs = s.mul(NDArrays.concat(new NDList(v, v)).reshape(2 * b, -1)).sum(new int[] {1}); // (2B)
    NDArray plus = vs.get("0:" + b);
    NDArray minus = vs.get(b + ":");
    NDArray h = Scalars.mul(std.reshape(-1), (float) relativeStep);
    NDArray j = Scalars.div(plus.add(minus).square(), 8f).add(plus.sub(minus).div(Scalars.mul(h, 2f)));
    if (reduction == Reduction.MEAN) {
      j = Scalars.mul(j, 2f / (x0.getShape().size() / b));
    }
    NDArray weight = likelihoodWeighting ? sde.diffusion(x0, t).square().reshape(-1) : std.square().reshape(-1);
    return j.mul(weight).mean();
  }
}
