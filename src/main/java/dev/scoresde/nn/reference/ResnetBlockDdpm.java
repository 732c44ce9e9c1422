package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.function.IntFunction;

/**
 * The DDPM residual block (layers.ResnetBlockDDPM; layerspp.ResnetBlockDDPMpp adds min(C/4, 32) groups
 * and skip rescaling): act(GroupNorm_0) → Conv_0, plus Dense_0(act(temb)) per channel, act(GroupNorm_1)
 * → dropout → Conv_1; the input through NIN_0 when the channel count changes; (x + h)/√2 with rescaling.
 */
final class ResnetBlockDdpm extends ResnetBlock {
  private final Nin shortcut; // null when in == out

  ResnetBlockDdpm(int in, int out, int tembDim, Nonlinearity act, double dropout, boolean skipRescale,
      IntFunction<GroupNorm> norm) {
    super(in, out, tembDim, act, dropout, skipRescale, norm);
    shortcut = in != out ? child("NIN_0", new Nin(in, out)) : null;
  }

  /** x (batch, in, h, w), temb (batch, tembDim) or null → (batch, out, h, w). */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, NDArray temb, boolean training) {
    NDArray h = convolve(ps, norm0.forward(ps, x, act, training), temb, training);
    return residual(ps, h, x, shortcut, training);
  }
}
