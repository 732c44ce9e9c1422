package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.scoresde.tensor.Scalars;

/**
 * Single-head self-attention over the pixels of a feature map (the reference's AttnBlockpp): GroupNorm,
 * 1×1 projections q, k, v (NIN, init scale 0.1), softmax(qᵀk/√C) v, a zero-initialised 1×1 output
 * projection, and a residual connection rescaled by 1/√2 when skip connections are rescaled.
 * The three projections are applied as one 1×1 convolution over their concatenated weights.
 */
final class AttnBlock extends Layer {
  private final int channels;
  private final boolean skipRescale;
  private final GroupNorm norm;
  private final Conv q;
  private final Conv k;
  private final Conv v;
  private final Conv proj;

  AttnBlock(int channels, boolean skipRescale) {
    this.channels = channels;
    this.skipRescale = skipRescale;
    norm = addChildBlock("norm", new GroupNorm(channels));
    q = addChildBlock("q", Conv.conv1x1(channels, channels, 0.1));
    k = addChildBlock("k", Conv.conv1x1(channels, channels, 0.1));
    v = addChildBlock("v", Conv.conv1x1(channels, channels, 0.1));
    proj = addChildBlock("proj", Conv.conv1x1(channels, channels, 0));
  }

  /** x (batch, C, h, w) → (batch, C, h, w). */
  NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.get(2) * s.get(3);
    NDArray h = norm.forward(ps, x, training);
    NDArray w = local(NDArrays.concat(new NDList(q.weight(ps, x, training), k.weight(ps, x, training),
        v.weight(ps, x, training))), x); // (3C, C, 1, 1)
    NDArray bias = local(NDArrays.concat(new NDList(q.bias(ps, x, training), k.bias(ps, x, training),
        v.bias(ps, x, training))), x); // (3C)
    NDList qkv = Conv.apply(h, w, bias, 1, 0).reshape(b, 3, channels, n).split(3, 1);
    NDArray query = Scalars.mul(qkv.get(0).reshape(b, channels, n), (float) (1 / Math.sqrt(channels)));
    NDArray key = qkv.get(1).reshape(b, channels, n);
    NDArray value = qkv.get(2).reshape(b, channels, n);
    Flops.add(2 * b * n * n * channels);
    NDArray weights = query.transpose(0, 2, 1).matMul(key).softmax(-1); // (batch, n query, n key)
    NDArray attended = value.matMul(weights.transpose(0, 2, 1)).reshape(s); // (batch, C, h, w)
    return residual(x, proj.forward(ps, attended, training), skipRescale);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.head(), training));
  }
}
