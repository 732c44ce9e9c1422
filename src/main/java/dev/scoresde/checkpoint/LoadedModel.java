package dev.scoresde.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.scoresde.score.NetworkScoreModel;
import java.nio.file.Path;

/**
 * A served model: its card and a network holding the EMA weights (in {@code manager}).
 *
 * @param folder the checkpoint folder it was read from
 */
public record LoadedModel(ModelCard card, Block network, NDManager manager, Path folder) {

  /** The inference-mode score model (not for classifiers). */
  public NetworkScoreModel scoreModel() {
    if (card.isClassifier()) {
      throw new IllegalStateException(card.name() + " is a classifier, not a score model");
    }
    return NetworkScoreModel.inference(network, card.network(), card.sde().toSde(), new ParameterStore(manager, false));
  }
}
