package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Multi-resolution fusion of RefineNet (layers.MSFBlock; layers.CondMSFBlock when {@code norm} is given):
 * the sum over inputs i of bilinear_resize(conv_i([norm_i](x_i))) to the output size, with
 * {@code align_corners=True}. Modules {@code convs.<i>} (3×3 with bias, in_planes[i] → features), then
 * {@code norms.<i>} (in_planes[i]).
 */
final class MsfBlock extends TorchModule {
  private final Conv[] convs;
  private final NcsnNorm[] norms;

  MsfBlock(List<Integer> inPlanes, int features, IntFunction<NcsnNorm> norm) {
    int n = inPlanes.size();
    convs = new Conv[n];
    norms = new NcsnNorm[n];
    for (int i = 0; i < n; i++) {
      convs[i] = child("convs." + i, Ncsn.conv3x3(inPlanes.get(i), features, 1, true));
    }
    for (int i = 0; norm != null && i < n; i++) {
      norms[i] = child("norms." + i, norm.apply(inPlanes.get(i)));
    }
  }

  NDArray forward(ParameterStore ps, List<NDArray> xs, NDArray y, int height, int width, boolean training) {
    NDArray sum = null;
    for (int i = 0; i < convs.length; i++) {
      NDArray h = norms[i] == null ? xs.get(i) : norms[i].forward(ps, xs.get(i), y, training);
      h = resizeBilinearAlignCorners(convs[i].forward(ps, h, training), height, width);
      sum = sum == null ? h : sum.add(h);
    }
    return sum;
  }

  /**
   * {@code F.interpolate(x, size, mode='bilinear', align_corners=True)} of (batch, C, h, w), as the
   * separable product R_y · x · R_xᵀ with the interpolation matrices of {@link #interpolationMatrix}.
   */
  static NDArray resizeBilinearAlignCorners(NDArray x, int height, int width) {
    int h = Math.toIntExact(x.getShape().get(2));
    int w = Math.toIntExact(x.getShape().get(3));
    if (h == height && w == width) {
      return x; // the weights are exactly 1 and 0
    }
    NDManager m = x.getManager();
    NDArray rows = constant(m, interpolationMatrix(h, height), new ai.djl.ndarray.types.Shape(height, h));
    NDArray cols = constant(m, interpolationMatrix(w, width), new ai.djl.ndarray.types.Shape(width, w));
    return rows.matMul(x.matMul(cols.transpose()));
  }

  /**
   * The (out, in) row-major matrix of 1-D linear interpolation with aligned corners: output i samples
   * the input at s = i (in − 1)/(out − 1) (0 for out = 1), weight 1 − (s − ⌊s⌋) on ⌊s⌋ and s − ⌊s⌋ on
   * the next sample (clamped to the last), in float as torch computes them.
   */
  static float[] interpolationMatrix(int in, int out) {
    float[] r = new float[out * in];
    float scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
    for (int i = 0; i < out; i++) {
      float s = scale * i;
      int i0 = Math.min((int) s, in - 1);
      int i1 = Math.min(i0 + 1, in - 1);
      float l1 = s - i0;
      r[i * in + i0] += 1f - l1;
      r[i * in + i1] += l1;
    }
    return r;
  }
}
