package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * 2× upsampling (layerspp.Upsample; layers.Upsample is its non-FIR case): nearest neighbour then
 * {@code Conv_0} (3×3) when with_conv; with FIR, the FIR filter alone or the fused {@code Conv2d_0}.
 */
final class Upsample extends TorchModule implements Unary {
  private final boolean fir;
  private final List<Integer> firKernel;
  private final Conv conv; // non-FIR with conv, else null
  private final FirConv firConv; // FIR with conv, else null

  Upsample(int in, int out, boolean withConv, boolean fir, List<Integer> firKernel) {
    this.fir = fir;
    this.firKernel = List.copyOf(firKernel);
    conv = withConv && !fir ? child("Conv_0", Conv.conv3x3(in, out)) : null;
    firConv = withConv && fir ? child("Conv2d_0", new FirConv(in, out, 3, true, firKernel)) : null;
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    if (fir) {
      return firConv != null ? firConv.forward(ps, x, training) : UpFirDn.upsample(x, firKernel);
    }
    NDArray h = UpFirDn.nearestUpsample(x);
    return conv != null ? conv.forward(ps, h, training) : h;
  }
}
