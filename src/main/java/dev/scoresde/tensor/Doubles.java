package dev.scoresde.tensor;

import ai.djl.ndarray.NDArray;

/** Host copies of float32 arrays in double precision, for statistics and checks computed in Java. */
public final class Doubles {
  private Doubles() {}

  /** The elements of a float32 array of any shape, in row-major order, widened to double. */
  public static double[] of(NDArray a) {
    float[] f = a.toFloatArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
