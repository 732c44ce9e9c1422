package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The progressive-growing pyramid's 2× resampling (the reference's layerspp.Upsample / Downsample), with
 * an optional 3×3 convolution (the "residual" pyramids) and FIR or plain resampling.
 */
final class Resample extends Layer {
  private final boolean up;
  private final boolean fir;
  private final Conv conv; // null without convolution

  Resample(boolean up, int in, int out, boolean withConv, boolean fir) {
    this.up = up;
    this.fir = fir;
    if (!withConv && in != out) {
      throw new IllegalArgumentException("resampling without a convolution keeps the channel count");
    }
    // Plain downsampling pads (0,1,0,1) itself, hence no conv padding.
    conv = withConv ? addChildBlock("conv", new Conv(in, out, 3, up ? 1 : 2, up ? 1 : 0, 1)) : null;
  }

  /** x (batch, in, h, w) → (batch, out, 2h, 2w) when up, (batch, out, h/2, w/2) when down. */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    if (conv == null) {
      return up ? Fir.up(x, fir) : Fir.down(x, fir);
    }
    if (fir) {
      NDArray w = conv.weight(ps, x, training);
      NDArray b = conv.bias(ps, x, training);
      return up ? Fir.upsampleConv(x, w, b) : Fir.convDownsample(x, w, b);
    }
    // Plain: nearest then 3×3 conv; or "SAME"-emulating pad (0,1,0,1) then 3×3 conv of stride 2.
    return up
        ? conv.forward(ps, Fir.nearestUpsample(x), training)
        : conv.forward(ps, x.pad(new Shape(0, 1, 0, 1), 0), training);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }
}
