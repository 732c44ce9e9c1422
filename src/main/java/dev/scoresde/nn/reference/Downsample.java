package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * 2× downsampling (layerspp.Downsample; layers.Downsample is its non-FIR case): with_conv pads one row and
 * column after ("SAME" as in TF) and applies {@code Conv_0} (3×3, stride 2), else 2×2 average pooling;
 * with FIR, the FIR filter alone or the fused {@code Conv2d_0}.
 */
final class Downsample extends TorchModule implements Unary {
  private final boolean fir;
  private final List<Integer> firKernel;
  private final Conv conv;
  private final FirConv firConv;

  Downsample(int in, int out, boolean withConv, boolean fir, List<Integer> firKernel) {
    this.fir = fir;
    this.firKernel = List.copyOf(firKernel);
    conv = withConv && !fir ? child("Conv_0", new Conv(in, out, 3, 2, 0, 1)) : null;
    firConv = withConv && fir ? child("Conv2d_0", new FirConv(in, out, 3, false, firKernel)) : null;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    if (fir) {
      return firConv != null ? firConv.forward(ps, x, training) : UpFirDn.downsample(x, firKernel);
    }
    return conv != null ? conv.forward(ps, x.pad(new Shape(0, 1, 0, 1), 0), training) : UpFirDn.meanDownsample(x);
  }
}
