package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * The BigGAN-type residual block of NCSN++/DDPM++ (layerspp.ResnetBlockBigGANpp): act(GroupNorm_0), then
 * up- or downsampling of both h and x (FIR or nearest/mean), Conv_0, plus Dense_0(act(temb)) per channel,
 * act(GroupNorm_1) → dropout → Conv_1; the input through Conv_2 (1×1) when the shape changes;
 * (x + h)/√2 with skip rescaling.
 */
final class ResnetBlockBigGan extends TorchModule implements TimeConditioned {
  enum Resample { NONE, UP, DOWN }

  private final Nonlinearity act;
  private final Resample resample;
  private final boolean fir;
  private final List<Integer> firKernel;
  private final double dropout;
  private final boolean skipRescale;
  private final GroupNorm norm0;
  private final Conv conv0;
  private final Linear dense0;
  private final GroupNorm norm1;
  private final Conv conv1;
  private final Conv shortcut; // null when the shape is kept

  ResnetBlockBigGan(int in, int out, int tembDim, Resample resample, ReferenceConfig.ModelOptions m) {
    this.act = m.nonlinearity();
    this.resample = resample;
    this.fir = m.fir();
    this.firKernel = m.firKernel();
    this.dropout = m.dropout();
    this.skipRescale = m.skipRescale();
    norm0 = child("GroupNorm_0", GroupNorm.ncsnpp(in));
    conv0 = child("Conv_0", Conv.conv3x3(in, out));
    dense0 = child("Dense_0", new Linear(tembDim, out));
    norm1 = child("GroupNorm_1", GroupNorm.ncsnpp(out));
    conv1 = child("Conv_1", Conv.conv3x3(out, out));
    shortcut = in != out || resample != Resample.NONE ? child("Conv_2", Conv.conv1x1(in, out)) : null;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, NDArray temb, boolean training) {
    NDArray h = norm0.forward(ps, x, act, training);
    if (resample != Resample.NONE) {
      h = resample(h);
      x = resample(x);
    }
    // In place below: a convolution's backward reads its input and weight, never its output, and an addition's
    // or a division by a constant's backward reads neither operand's value, so autograd allows these.
    h = conv0.forward(ps, h, training);
    if (temb != null) {
      h.addi(dense0.forward(ps, act.apply(temb), training).reshape(-1, h.getShape().get(1), 1, 1));
    }
    h = norm1.forward(ps, h, act, training);
    h = conv1.forward(ps, dropout(h, dropout, training), training);
    if (shortcut != null) {
      x = shortcut.forward(ps, x, training);
    }
    NDArray sum = h.addi(x);
    return skipRescale ? sum.divi(scalar(sum, Math.sqrt(2))) : sum;
  }

  private NDArray resample(NDArray v) {
    boolean up = resample == Resample.UP;
    if (fir) {
      return up ? UpFirDn.upsample(v, firKernel) : UpFirDn.downsample(v, firKernel);
    }
    return up ? UpFirDn.nearestUpsample(v) : UpFirDn.meanDownsample(v);
  }

  /** nn.Dropout: identity at evaluation. */
  static NDArray dropout(NDArray x, double rate, boolean training) {
    return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).singletonOrThrow() : x;
  }
}
