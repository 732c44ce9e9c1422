package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.function.IntFunction;
import dev.scoresde.tensor.Scalars;

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
    NDArray h = conv0.forward(ps, act.apply(norm0.forward(ps, x, training)), training);
    if (temb != null) {
      h = h.add(dense0.forward(ps, act.apply(temb), training).expandDims(2).expandDims(3));
    }
    h = act.apply(norm1.forward(ps, h, training));
    h = conv1.forward(ps, ResnetBlockBigGan.dropout(h, dropout, training), training);
    if (shortcut != null) {
      x = shortcut.forward(ps, x, training);
    }
    NDArray sum = x.add(h);
    return skipRescale ? Scalars.div(sum, Math.sqrt(2)) : sum;
  }
}
