package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Doubles;
import dev.scoresde.testnet.TestNetworks;
import java.util.function.BiFunction;

/** Parameter-free networks with known outputs, for hand-computed loss values. */
final class LossFixtures {
  private LossFixtures() {}

  /** A network whose output is fn(x, cond). */
  static TrainableNetwork network(NDManager m, Sde sde, NetworkSpec spec, BiFunction<NDArray, NDArray, NDArray> fn) {
    LambdaBlock block = new LambdaBlock(in -> new NDList(fn.apply(in.get(0), in.get(1))));
    return new TrainableNetwork(block, spec, sde, new ParameterStore(m, false));
  }

  static TrainableNetwork network(NDManager m, Sde sde, BiFunction<NDArray, NDArray, NDArray> fn) {
    return network(m, sde, TestNetworks.mlp(2, 0, 4, 0), fn);
  }
}
