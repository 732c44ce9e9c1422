package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

/** layerspp.Combine: {@code Conv_0} (1×1) of the pyramid x, then concatenated with or added to y. */
final class Combine extends TorchModule {
  private final ReferenceConfig.ProgressiveCombine method;
  private final Conv conv;

  Combine(int dim1, int dim2, ReferenceConfig.ProgressiveCombine method) {
    this.method = method;
    conv = child("Conv_0", Conv.conv1x1(dim1, dim2));
  }

  NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
    NDArray h = conv.forward(ps, x, training);
    return switch (method) {
      case CAT -> NDArrays.concat(new NDList(h, y), 1);
      case SUM -> h.add(y);
    };
  }
}
