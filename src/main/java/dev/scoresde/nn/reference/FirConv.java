package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * up_or_down_sampling.Conv2d: a k×k convolution fused with FIR upsampling (upsample_conv_2d) or
 * downsampling (conv_downsample_2d), then the bias. weight (out, in, k, k), bias (out).
 */
final class FirConv extends TorchModule implements Unary {
  private final boolean up;
  private final List<Integer> firKernel;
  private final Parameter weight;
  private final Parameter bias;

  FirConv(int in, int out, int kernel, boolean up, List<Integer> firKernel) {
    this.up = up;
    this.firKernel = List.copyOf(firKernel);
    weight = param("weight", new Shape(out, in, kernel, kernel));
    bias = param("bias", new Shape(out));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray w = value(ps, weight, x, training);
    NDArray y = up ? UpFirDn.upsampleConv(x, w, firKernel) : UpFirDn.convDownsample(x, w, firKernel);
    return y.add(perChannel(value(ps, bias, x, training), x));
  }
}
