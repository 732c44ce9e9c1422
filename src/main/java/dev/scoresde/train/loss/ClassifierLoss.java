package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;

/**
 * The time-dependent classifier of controllable generation (Song et al. 2021, Section 5 and Appendix I):
 * cross-entropy of p_t(y | x(t)) on perturbed data x(t) ~ p_0t(· | x(0)), t ~ U(ε, T), with the same
 * time conditioning as the score networks.
 */
public record ClassifierLoss(double eps) implements TrainingLoss {

  @Override
  public NDArray loss(TrainableNetwork net, Batch batch, Rng rng) {
    if (batch.labels() == null) {
      throw new IllegalArgumentException("the classifier loss needs labelled data");
    }
    NDArray x0 = batch.x();
    Sde sde = net.sde();
    NDArray t = Times.uniform(rng, x0.getManager(), eps, sde.endTime());
    NDArray xt = sde.perturb(x0, t, rng);
    NDArray logits = net.classifierLogits(xt, t); // (batch, classes)
    int classes = Math.toIntExact(logits.getShape().get(1));
    NDArray onehot = batch.labels().oneHot(classes);
    return logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).neg().mean();
  }
}
