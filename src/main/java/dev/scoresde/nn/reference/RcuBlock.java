package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.function.IntFunction;

/**
 * Residual conv units of RefineNet (layers.RCUBlock, and layers.CondRCUBlock when {@code norm} is given):
 * n_blocks times x ← x + (n_stages × [norm,] act, 3×3 conv without bias), with modules
 * {@code <i>_<j>_norm} and {@code <i>_<j>_conv} (1-based).
 */
final class RcuBlock extends TorchModule {
  private final int blocks;
  private final int stages;
  private final Nonlinearity act;
  private final NcsnNorm[] norms;
  private final Conv[] convs;

  RcuBlock(int features, int blocks, int stages, Nonlinearity act, IntFunction<NcsnNorm> norm) {
    this.blocks = blocks;
    this.stages = stages;
    this.act = act;
    norms = new NcsnNorm[blocks * stages];
    convs = new Conv[blocks * stages];
    for (int i = 0; i < blocks; i++) {
      for (int j = 0; j < stages; j++) {
        String name = (i + 1) + "_" + (j + 1);
        if (norm != null) {
          norms[i * stages + j] = child(name + "_norm", norm.apply(features));
        }
        convs[i * stages + j] = child(name + "_conv", Ncsn.conv3x3(features, features, 1, false));
      }
    }
  }

  NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
    for (int i = 0; i < blocks; i++) {
      NDArray residual = x;
      for (int j = 0; j < stages; j++) {
        NcsnNorm n = norms[i * stages + j];
        x = convs[i * stages + j].forward(ps, act.apply(n == null ? x : n.forward(ps, x, y, training)), training);
      }
      x = x.add(residual);
    }
    return x;
  }
}
