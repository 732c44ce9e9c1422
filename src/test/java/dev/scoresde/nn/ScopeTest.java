package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A forward or backward pass leaves nothing behind in the manager that owns the weights. */
class ScopeTest {

  @Test
  void forwardAndBackwardCreateNoArraysInTheWeightsManager() {
    for (NetworkSpec spec : List.of(Tiny.ncsnppSkip(), Tiny.ncsnppResidual(), Tiny.classifier(), Tiny.mlp())) {
      try (NDManager weights = NDManager.newBaseManager()) {
        Block net = Tiny.initialized(spec, weights, 0);
        int before = weights.getManagedArrays().size();
        try (NDManager step = weights.newSubManager()) {
          NDList in = NetworkBench.inputs(spec, step, 3);
          ParameterStore ps = new ParameterStore(step, false);
          net.forward(ps, in, false);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = net.forward(ps, in, true).singletonOrThrow();
            gc.backward(y.square().sum());
          }
        }
        assertEquals(before, weights.getManagedArrays().size(), spec.architecture().id());
      }
    }
  }
}
