package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.function.IntFunction;

/**
 * The DDPM residual block (layers.ResnetBlockDDPM; layerspp.ResnetBlockDDPMpp adds min(C/4, 32) groups
 * and skip rescaling): act(GroupNorm_0) → Conv_0, plus Dense_0(act(temb)) per channel, act(GroupNorm_1)
 * → dropout → Conv_1; the input through NIN_0 when the channel count changes; (x + h)/√2 with rescaling.
 */
final class ResnetBlockDdpm extends TorchModule implements TimeConditioned {
  private final Nonlinearity act;
  private final double dropout;
  private final boolean skipRescale;
  private final GroupNorm norm0;
  private final Conv conv0;
  private final Linear dense0;
  private final GroupNorm norm1;
  private final Conv conv1;
  private final Nin shortcut; // null when in == out

  ResnetBlockDdpm(int in, int out, int tembDim, Nonlinearity act, double dropout, boolean skipRescale,
      IntFunction<GroupNorm> norm) {
    this.act = act;
    this.dropout = dropout;
    this.skipRescale = skipRescale;
    norm0 = child("GroupNorm_0", norm.apply(in));
    conv0 = child("Conv_0", Conv.conv3x3(in, out));
    dense0 = child("Dense_0", new Linear(tembDim, out));
    norm1 = child("GroupNorm_1", norm.apply(out));
    conv1 = child("Conv_1", Conv.conv3x3(out, out));
    shortcut = in != out ? child("NIN_0", new Nin(in, out)) : null;
  }

  /** x (batch, in, h, w), temb (batch, tembDim) or null → (batch, out, h, w). */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, NDArray temb, boolean training) {
    // in place as in ResnetBlockBigGan: only on convolution outputs and sums, which no backward reads
    NDArray h = conv0.forward(ps, norm0.forward(ps, x, act, training), training);
    if (temb != null) {
      h.addi(dense0.forward(ps, act.apply(temb), training).reshape(-1, h.getShape().get(1), 1, 1));
    }
    h = norm1.forward(ps, h, act, training);
    h = conv1.forward(ps, ResnetBlockBigGan.dropout(h, dropout, training), training);
    if (shortcut != null) {
      x = shortcut.forward(ps, x, training);
    }
    NDArray sum = h.addi(x);
    return skipRescale ? sum.divi(scalar(sum, Math.sqrt(2))) : sum;
  }
}
