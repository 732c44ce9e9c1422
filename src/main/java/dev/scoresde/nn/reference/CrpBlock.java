package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.function.IntFunction;

/**
 * Chained residual pooling of RefineNet (layers.CRPBlock; layers.CondCRPBlock when {@code norm} is given):
 * x ← act(x), then per stage path ← conv(pool([norm](path))) and x ← path + x. Pooling is 5×5, stride 1,
 * padding 2: max-pool for CRPBlock (its maxpool=True default), average pooling counting the zero
 * padding (divide by 25) for CondCRPBlock. Modules {@code convs.<i>} (3×3, no bias), then {@code norms.<i>}.
 */
final class CrpBlock extends TorchModule {
  private static final Shape KERNEL = new Shape(5, 5);
  private static final Shape STRIDE = new Shape(1, 1);
  private static final Shape PADDING = new Shape(2, 2);
  private final Nonlinearity act;
  private final boolean maxPool;
  private final Conv[] convs;
  private final NcsnNorm[] norms;

  CrpBlock(int features, int stages, Nonlinearity act, boolean maxPool, IntFunction<NcsnNorm> norm) {
    this.act = act;
    this.maxPool = maxPool;
    convs = new Conv[stages];
    norms = new NcsnNorm[stages];
    for (int i = 0; i < stages; i++) {
      convs[i] = child("convs." + i, Ncsn.conv3x3(features, features, 1, false));
    }
    for (int i = 0; norm != null && i < stages; i++) {
      norms[i] = child("norms." + i, norm.apply(features));
    }
  }

  NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
    x = act.apply(x);
    NDArray path = x;
    for (int i = 0; i < convs.length; i++) {
      if (norms[i] != null) {
        path = norms[i].forward(ps, path, y, training);
      }
      path = maxPool ? Pool.maxPool2d(path, KERNEL, STRIDE, PADDING, false)
          : Pool.avgPool2d(path, KERNEL, STRIDE, PADDING, false, true);
      path = convs[i].forward(ps, path, training);
      x = path.add(x);
    }
    return x;
  }
}
