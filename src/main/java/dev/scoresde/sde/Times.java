package dev.scoresde.sde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.DoubleUnaryOperator;

/** Per-row scalar functions of time as tensors that broadcast against a batch. */
public final class Times {
  private Times() {}

  /** (batch, 1, 1, ...) with as many trailing ones as x has non-batch axes. */
  public static Shape rowShape(NDArray x) {
    long[] dims = new long[x.getShape().dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = x.getShape().get(0);
    return new Shape(dims);
  }

  /** fn(t_i) for each row i, shaped (batch, 1, ...) to broadcast against x; computed in double. */
  public static NDArray perRow(NDArray x, NDArray t, DoubleUnaryOperator fn) {
    float[] ts = t.toFloatArray();
    if (ts.length != x.getShape().get(0)) {
      throw new IllegalArgumentException("t has " + ts.length + " rows, x has " + x.getShape().get(0));
    }
    float[] v = new float[ts.length];
    for (int i = 0; i < ts.length; i++) {
      v[i] = (float) fn.applyAsDouble(ts[i]);
    }
    return x.getManager().create(v, rowShape(x));
  }

  /** A time vector (batch) filled with t, in x's manager. */
  public static NDArray filled(NDArray x, double t) {
    float[] v = new float[Math.toIntExact(x.getShape().get(0))];
    java.util.Arrays.fill(v, (float) t);
    return x.getManager().create(v);
  }
}
