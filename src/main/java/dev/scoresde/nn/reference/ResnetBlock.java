package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.function.IntFunction;

/**
 * What the reference's DDPM and BigGAN residual blocks share: act(GroupNorm_0), then Conv_0, plus
 * Dense_0(act(temb)) per channel, act(GroupNorm_1) → dropout → Conv_1, and the sum with the input (through
 * the block's shortcut when the shape changes), (x + h)/√2 with skip rescaling.
 */
abstract class ResnetBlock extends TorchModule implements TimeConditioned {
  final Nonlinearity act;
  private final double dropout;
  private final boolean skipRescale;
  final GroupNorm norm0;
  private final Conv conv0;
  private final Linear dense0;
  private final GroupNorm norm1;
  private final Conv conv1;

  ResnetBlock(int in, int out, int tembDim, Nonlinearity act, double dropout, boolean skipRescale,
      IntFunction<GroupNorm> norm) {
    this.act = act;
    this.dropout = dropout;
    this.skipRescale = skipRescale;
    norm0 = child("GroupNorm_0", norm.apply(in));
    conv0 = child("Conv_0", Conv.conv3x3(in, out));
    dense0 = child("Dense_0", new Linear(tembDim, out));
    norm1 = child("GroupNorm_1", norm.apply(out));
    conv1 = child("Conv_1", Conv.conv3x3(out, out));
  }

  /**
   * Conv_0, plus Dense_0(act(temb)) per channel, act(GroupNorm_1) → dropout → Conv_1. h (batch, in, h, w),
   * temb (batch, tembDim) or null → (batch, out, h, w).
   */
  final NDArray convolve(ParameterStore ps, NDArray h, NDArray temb, boolean training) {
    // In place below: a convolution's backward reads its input and weight, never its output, and an addition's
    // or a division by a constant's backward reads neither operand's value, so autograd allows these.
    h = conv0.forward(ps, h, training);
    if (temb != null) {
      h.addi(dense0.forward(ps, act.apply(temb), training).reshape(-1, h.getShape().get(1), 1, 1));
    }
    h = norm1.forward(ps, h, act, training);
    return conv1.forward(ps, dropout(h, dropout, training), training);
  }

  /** h + shortcut(x) (x itself without a shortcut), divided by √2 with skip rescaling. */
  final NDArray residual(ParameterStore ps, NDArray h, NDArray x, Unary shortcut, boolean training) {
    NDArray sum = h.addi(shortcut == null ? x : shortcut.forward(ps, x, training));
    return skipRescale ? sum.divi(scalar(sum, Math.sqrt(2))) : sum;
  }
}
