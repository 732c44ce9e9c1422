package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.function.IntFunction;

/**
 * The NCSN residual block (layers.ResidualBlock of NCSNv2; layers.ConditionalResidualBlock of NCSN v1,
 * whose norms take the σ index): conv2(act(normalize2(conv1(act(normalize1(x)))))) plus x, or plus
 * shortcut(x) when the block resamples or changes width. Modules in torch order: conv1, normalize2,
 * conv2, [shortcut], normalize1.
 *
 * <p>resample 'down' without dilation halves the size with {@link ConvMeanPool} (conv2 3×3, shortcut
 * 1×1); with dilation d > 1 nothing is downsampled and conv1, conv2 and the shortcut are dilated 3×3
 * convolutions. Reference plus fix: dilated convolutions pad by d (the reference's padding 1 shrinks
 * the map and the residual sum fails), and ConditionalResidualBlock's default dilation is 1 (None
 * fails the {@code dilation > 1} test). A ConditionalResidualBlock that widens without resampling would
 * call {@code nn.Conv2d} without a kernel size, so it is rejected here as well.
 */
final class NcsnResidualBlock extends TorchModule {
  private final Nonlinearity act;
  private final NcsnNorm normalize1;
  private final NcsnNorm normalize2;
  private final Unary conv1;
  private final Unary conv2;
  private final Unary shortcut;

  NcsnResidualBlock(int in, int out, boolean down, Nonlinearity act, IntFunction<NcsnNorm> norm,
      boolean conditional, boolean adjustPadding, int dilation) {
    this.act = act;
    boolean dilated = dilation > 1;
    Unary cut;
    if (down) {
      conv1 = child("conv1", Ncsn.conv3x3(in, in, dilation, true));
      normalize2 = child("normalize2", norm.apply(in));
      conv2 = dilated ? child("conv2", Ncsn.conv3x3(in, out, dilation, true))
          : child("conv2", new ConvMeanPool(in, out, 3, adjustPadding));
      cut = dilated ? Ncsn.conv3x3(in, out, dilation, true) : new ConvMeanPool(in, out, 1, adjustPadding);
    } else {
      conv1 = child("conv1", Ncsn.conv3x3(in, out, dilation, true));
      normalize2 = child("normalize2", norm.apply(out));
      conv2 = child("conv2", Ncsn.conv3x3(out, out, dilation, true));
      if (in != out && !dilated && conditional) {
        throw new IllegalArgumentException("the reference's ConditionalResidualBlock cannot widen "
            + in + " → " + out + " channels without resampling");
      }
      cut = dilated ? Ncsn.conv3x3(in, out, dilation, true) : new Conv(in, out, 1, 1, 0, 1);
    }
    shortcut = in != out || down ? (Unary) child("shortcut", (TorchModule) cut) : null;
    normalize1 = child("normalize1", norm.apply(in));
  }

  NDArray forward(ParameterStore ps, NDArray x, NDArray y, boolean training) {
    NDArray h = conv1.forward(ps, act.apply(normalize1.forward(ps, x, y, training)), training);
    h = conv2.forward(ps, act.apply(normalize2.forward(ps, h, y, training)), training);
    return (shortcut == null ? x : shortcut.forward(ps, x, training)).add(h);
  }
}
