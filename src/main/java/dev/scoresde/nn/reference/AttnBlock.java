package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.scoresde.tensor.Scalars;

/**
 * Self-attention over the pixels (layerspp.AttnBlockpp; layers.AttnBlock is the same with 32 groups and
 * no rescaling): GroupNorm_0, q, k, v = NIN_0..2, w = softmax(qᵀk · C^−½) over keys, h = NIN_3(v wᵀ),
 * out = x + h, or (x + h)/√2 with skip rescaling.
 */
final class AttnBlock extends TorchModule implements Unary {
  private final boolean skipRescale;
  private final GroupNorm norm;
  private final Nin q;
  private final Nin k;
  private final Nin v;
  private final Nin out;

  AttnBlock(GroupNorm norm, int channels, boolean skipRescale) {
    this.skipRescale = skipRescale;
    this.norm = child("GroupNorm_0", norm);
    q = child("NIN_0", new Nin(channels, channels));
    k = child("NIN_1", new Nin(channels, channels));
    v = child("NIN_2", new Nin(channels, channels));
    out = child("NIN_3", new Nin(channels, channels));
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long n = s.get(2) * s.get(3);
    NDArray h = norm.forward(ps, x, training);
    NDArray query = q.forward(ps, h, training).reshape(b, c, n);
    NDArray key = k.forward(ps, h, training).reshape(b, c, n);
    NDArray val = v.forward(ps, h, training).reshape(b, c, n);
    NDArray w = Scalars.mul(query.transpose(0, 2, 1).matMul(key), Math.pow(c, -0.5)).softmax(-1); // (b, n query, n key)
    NDArray attended = val.matMul(w.transpose(0, 2, 1)).reshape(s);
    NDArray sum = x.add(out.forward(ps, attended, training));
    return skipRescale ? Scalars.div(sum, Math.sqrt(2)) : sum;
  }
}
