package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * The BigGAN-type residual block of NCSN++/DDPM++ (layerspp.ResnetBlockBigGANpp): act(GroupNorm_0), then
 * up- or downsampling of both h and x (FIR or nearest/mean), Conv_0, plus Dense_0(act(temb)) per channel,
 * act(GroupNorm_1) → dropout → Conv_1; the input through Conv_2 (1×1) when the shape changes;
 * (x + h)/√2 with skip rescaling.
 */
final class ResnetBlockBigGan extends ResnetBlock {
  enum Resample { NONE, UP, DOWN }

  private final Resample resample;
  private final boolean fir;
  private final List<Integer> firKernel;
  private final Conv shortcut; // null when the shape is kept

  ResnetBlockBigGan(int in, int out, int tembDim, Resample resample, ReferenceConfig.ModelOptions m) {
    super(in, out, tembDim, m.nonlinearity(), m.dropout(), m.skipRescale(), GroupNorm::ncsnpp);
    this.resample = resample;
    this.fir = m.fir();
    this.firKernel = m.firKernel();
    shortcut = in != out || resample != Resample.NONE ? child("Conv_2", Conv.conv1x1(in, out)) : null;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, NDArray temb, boolean training) {
    NDArray h = norm0.forward(ps, x, act, training);
    if (resample != Resample.NONE) {
      h = resample(h);
      x = resample(x);
    }
    return residual(ps, convolve(ps, h, temb, training), x, shortcut, training);
  }

  private NDArray resample(NDArray v) {
    boolean up = resample == Resample.UP;
    if (fir) {
      return up ? UpFirDn.upsample(v, firKernel) : UpFirDn.downsample(v, firKernel);
    }
    return up ? UpFirDn.nearestUpsample(v) : UpFirDn.meanDownsample(v);
  }
}
