package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The BigGAN-type residual block of DDPM++/NCSN++ (reference: ResnetBlockBigGANpp, Appendix H):
 * GroupNorm→SiLU→(up/down)→conv3x3, plus a per-channel bias from the time embedding,
 * GroupNorm→SiLU→dropout→conv3x3 (zero-initialised), and a 1×1 shortcut when the shape changes; the sum is
 * rescaled by 1/√2 when skip connections are rescaled.
 */
final class ResnetBlock extends Layer {
  final int in;
  final int out;
  private final boolean up;
  private final boolean down;
  private final boolean fir;
  private final boolean skipRescale;
  private final double dropout;
  private final GroupNorm norm0;
  private final Conv conv0;
  private final Dense temb;
  private final GroupNorm norm1;
  private final Conv conv1;
  private final Conv shortcut; // null when x passes through unchanged

  ResnetBlock(int in, int out, int tembDim, boolean up, boolean down, NetworkSpec spec) {
    this.in = in;
    this.out = out;
    this.up = up;
    this.down = down;
    this.fir = spec.fir();
    this.skipRescale = spec.skipRescale();
    this.dropout = spec.dropout();
    norm0 = addChildBlock("norm0", new GroupNorm(in));
    conv0 = addChildBlock("conv0", Conv.conv3x3(in, out, 1));
    temb = addChildBlock("temb", new Dense(tembDim, out));
    norm1 = addChildBlock("norm1", new GroupNorm(out));
    conv1 = addChildBlock("conv1", Conv.conv3x3(out, out, 0));
    shortcut = in != out || up || down ? addChildBlock("shortcut", Conv.conv1x1(in, out, 1)) : null;
  }

  /** x (batch, in, h, w), tembAct = SiLU(temb) (batch, tembDim) → (batch, out, h', w'). */
  NDArray forward(ParameterStore ps, NDArray x, NDArray tembAct, boolean training) {
    NDArray h = silu(norm0.forward(ps, x, training));
    if (up) {
      h = Fir.up(h, fir);
      x = Fir.up(x, fir);
    } else if (down) {
      h = Fir.down(h, fir);
      x = Fir.down(x, fir);
    }
    h = conv0.forward(ps, h, training);
    h = h.add(temb.forward(ps, tembAct, training).reshape(h.getShape().get(0), out, 1, 1));
    h = silu(norm1.forward(ps, h, training));
    h = dropout(h, dropout, training);
    h = conv1.forward(ps, h, training);
    if (shortcut != null) {
      x = shortcut.forward(ps, x, training);
    }
    return residual(x, h, skipRescale);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
  }
}
