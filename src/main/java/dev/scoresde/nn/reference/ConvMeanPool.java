package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.scoresde.tensor.Scalars;

/**
 * layers.ConvMeanPool: a k×k convolution with bias (padding k/2), then the mean of the four 2×2
 * polyphase components. With adjust_padding the convolution is {@code conv.1} of a sequence whose
 * {@code conv.0} zero-pads one column on the left and one row on top.
 */
final class ConvMeanPool extends TorchModule implements Unary {
  private final Unary conv;

  ConvMeanPool(int in, int out, int kernel, boolean adjustPadding) {
    Conv c = new Conv(in, out, kernel, 1, kernel / 2, 1);
    conv = adjustPadding ? child("conv", new PaddedConv(c)) : child("conv", c);
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    NDArray h = conv.forward(ps, x, training);
    return Scalars.div(h.get(new NDIndex(":, :, ::2, ::2")).add(h.get(new NDIndex(":, :, 1::2, ::2")))
        .add(h.get(new NDIndex(":, :, ::2, 1::2"))).add(h.get(new NDIndex(":, :, 1::2, 1::2"))), 4);
  }

  /** {@code nn.Sequential(nn.ZeroPad2d((1, 0, 1, 0)), conv)}. */
  private static final class PaddedConv extends TorchModule implements Unary {
    private final Conv conv;

    PaddedConv(Conv conv) {
      this.conv = child("1", conv);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
      return conv.forward(ps, x.pad(new Shape(1, 0, 1, 0), 0), training);
    }
  }
}
