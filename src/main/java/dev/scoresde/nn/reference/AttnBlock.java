package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

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

  /**
   * x (b, C, H, W) → same shape. Computed with the pixels as rows, (b, n = H·W, C): one copy into that layout,
   * every NIN a single matrix product over all b·n rows, the two attention products batched over b, and the
   * output read back through a transposed view; in place only on fresh products, which no backward reads.
   */
  @Override
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long n = s.get(2) * s.get(3);
    NDArray rows = norm.forward(ps, x, training).transpose(0, 2, 3, 1).reshape(b * n, c); // (b·n, C)
    NDArray query = q.rows(ps, rows, training).reshape(b, n, c);
    NDArray key = k.rows(ps, rows, training).reshape(b, n, c);
    NDArray val = v.rows(ps, rows, training).reshape(b, n, c);
    NDArray logits = query.matMul(key.transpose(0, 2, 1)); // (b, n query, n key)
    NDArray w = logits.muli(scalar(logits, Math.pow(c, -0.5))).softmax(-1);
    NDArray attended = w.matMul(val).reshape(b * n, c); // (b·n query, C)
    NDArray h = out.rows(ps, attended, training).reshape(b, s.get(2), s.get(3), c).transpose(0, 3, 1, 2);
    NDArray sum = x.add(h);
    return skipRescale ? sum.divi(scalar(sum, Math.sqrt(2))) : sum;
  }
}
