package dev.scoresde.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.scoresde.score.TimeDependentClassifier;
import dev.scoresde.score.NetworkScoreModel;
import java.nio.file.Path;

/**
 * A served model: its card and a network holding the EMA weights (in {@code manager}).
 *
 * @param folder the checkpoint folder it was read from
 */
public record LoadedModel(ModelCard card, Block network, NDManager manager, Path folder) {

  /**
   * The inference-mode score model (not for classifiers). Its parameters are frozen: libtorch's grad mode is on
   * in every thread but the engine's first, so without this a server worker records an autograd graph through
   * the weights at every evaluation — the sampler's steps chain those graphs, holding every intermediate of
   * the whole run (24 GB and the OOM killer for a CIFAR-10 NCSN++ at batch 16) and tripling the time.
   * Gradients with respect to x (guidance, likelihoods) still flow.
   */
  public NetworkScoreModel scoreModel() {
    if (card.isClassifier()) {
      throw new IllegalStateException(card.name() + " is a classifier, not a score model");
    }
    network.freezeParameters(true);
    return NetworkScoreModel.inference(network, card.network(), card.sde().toSde(), new ParameterStore(manager, false));
  }

  /**
   * A noise-conditional classifier checkpoint as log p_t(y | x): the network sees the same time conditioning
   * as the score networks (σ(t) for VE, 999t otherwise); its parameters are frozen, so guidance gradients
   * reach only x.
   */
  public TimeDependentClassifier classifier() {
    if (!card.isClassifier()) {
      throw new IllegalArgumentException(folder + " holds a score model, not a classifier");
    }
    network.freezeParameters(true);
    ParameterStore ps = new ParameterStore(manager, false);
    NetworkScoreModel timing = NetworkScoreModel.inference(network, card.network(), card.sde().toSde(), ps);
    return (x, t) -> network.forward(ps, new NDList(x, timing.conditioning(x, t)), false).singletonOrThrow()
        .logSoftmax(1);
  }
}
