package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;

/** A training objective: the scalar loss of one batch, differentiable in the network's parameters. */
@FunctionalInterface
public interface TrainingLoss {

  /**
   * @param net the network in training mode
   * @param batch the data, x (batch, ...) and labels (batch) or null
   * @param rng one stream per batch row, for the loss's time steps, noise and label dropout
   * @return the loss, a scalar owned by the batch's manager
   */
  NDArray loss(TrainableNetwork net, Batch batch, Rng rng);
}
