package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.sde.Sde;

/** A network in training mode with the SDE it learns the scores of (or, for a classifier, is conditioned by). */
public record TrainableNetwork(Block network, NetworkSpec spec, Sde sde, ParameterStore parameters) {

  public boolean isClassifier() {
    return spec.architecture() == Architecture.CLASSIFIER;
  }

  /** The score model s_θ(x, t) in training mode, conditioned on {@code labels} (batch) int32 or on "no label". */
  public NetworkScoreModel scoreModel(NDArray labels) {
    NetworkScoreModel m = new NetworkScoreModel(network, spec, sde, parameters, true, null);
    return labels == null ? m : m.withLabels(labels);
  }

  /**
   * The noise-conditional classifier's logits at (x(t), t), with the same time conditioning as the
   * score networks (999·t for VP/sub-VP, σ(t) for VE). x (batch, ...), t (batch) → (batch, classes).
   */
  public NDArray classifierLogits(NDArray x, NDArray t) {
    NDArray cond = scoreModel(null).conditioning(x, t);
    return network.forward(parameters, new NDList(x, cond), true).singletonOrThrow();
  }
}
