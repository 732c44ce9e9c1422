package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.Rng;

/** The random times and noise levels of the losses, one per batch row. */
final class Times {
  private Times() {}

  /** t ~ U(ε, T) per row, (batch). */
  static NDArray uniform(Rng rng, NDManager m, double eps, double endTime) {
    float[] u = rng.uniform(m, new Shape(rng.rows())).toFloatArray();
    float[] t = new float[u.length];
    for (int i = 0; i < u.length; i++) {
      t[i] = (float) (u[i] * (endTime - eps) + eps);
    }
    return m.create(t);
  }

  /** A discrete level i ~ U{0, …, N−1} per row. */
  static int[] levels(Rng rng, NDManager m, int n) {
    float[] u = rng.uniform(m, new Shape(rng.rows())).toFloatArray();
    int[] i = new int[u.length];
    for (int r = 0; r < u.length; r++) {
      i[r] = Math.min(n - 1, (int) Math.floor(u[r] * (double) n));
    }
    return i;
  }

  /** The continuous time of discrete level i: t_i = i/(N−1)·T (so that σ(t_i) = σ_i and 999·t_i = i for N = 1000). */
  static NDArray ofLevels(int[] levels, int n, double endTime, NDManager m) {
    float[] t = new float[levels.length];
    for (int r = 0; r < t.length; r++) {
      t[r] = (float) (levels[r] * endTime / (n - 1));
    }
    return m.create(t);
  }

  /** Per-row values shaped (batch, 1, …) to broadcast against x. */
  static NDArray perRow(NDArray x, double[] values) {
    float[] v = new float[values.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values[i];
    }
    return x.getManager().create(v, dev.scoresde.sde.Times.rowShape(x));
  }
}
