package dev.scoresde.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ScalarsTest {
  /** The kinds of constants the call sites pass: doubles that are not floats, floats, ints, extremes. */
  private static final List<Number> CONSTANTS = List.of(1 / Math.sqrt(2), (float) (1 / Math.sqrt(2)), Math.sqrt(3),
      (float) (2 * Math.PI), 999f, 1e-30f, 0.1, -0.5, -2, 0, 1, 255, 256, 1e10, -0.0, 3.0e-39);

  private static NDArray values(NDManager m) {
    float[] v = new float[68]; // not a multiple of the vector width: both kernel paths run
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (Math.sin(1.7 * i) * Math.pow(10, (i % 9) - 4));
    }
    v[0] = 0;
    v[1] = -0f;
    v[2] = Float.NaN;
    v[3] = Float.POSITIVE_INFINITY;
    v[4] = 255.49998f;
    v[5] = Float.MIN_VALUE;
    v[66] = Float.NaN;
    v[67] = -0f;
    return m.create(v, new Shape(4, 17));
  }

  private static void assertBitIdentical(NDArray expected, NDArray actual, String what) {
    assertEquals(expected.getDataType(), actual.getDataType(), what);
    assertEquals(expected.getShape(), actual.getShape(), what);
    if (expected.getDataType() == DataType.BOOLEAN) {
      assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray(), what);
      return;
    }
    assertArrayEquals(bits(expected.toFloatArray()), bits(actual.toFloatArray()), what);
  }

  private static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  @Test
  void everyOperationMatchesDjlsNumberOverloadBitForBit() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = values(m);
      for (Number c : CONSTANTS) {
        double d = c.doubleValue();
        String at = " with " + c + " (" + c.getClass().getSimpleName() + ")";
        assertBitIdentical(x.mul(c), Scalars.mul(x, d), "mul" + at);
        assertBitIdentical(x.div(c), Scalars.div(x, d), "div" + at);
        assertBitIdentical(x.add(c), Scalars.add(x, d), "add" + at);
        assertBitIdentical(x.sub(c), Scalars.sub(x, d), "sub" + at);
        assertBitIdentical(x.maximum(c), Scalars.maximum(x, d), "maximum" + at);
        assertBitIdentical(x.minimum(c), Scalars.minimum(x, d), "minimum" + at);
        assertBitIdentical(x.eq(c), Scalars.eq(x, d), "eq" + at);
        // clip is max-then-min: equal values (NaN as NaN, −0 as 0), not always equal bits
        assertArrayEquals(x.clip(-d - 1, c).toFloatArray(), Scalars.clip(x, -d - 1, d).toFloatArray(), 0f, "clip" + at);
      }
    }
  }

  @Test
  void integerArraysCompareWithExactIntegersAndRefuseFractions() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray labels = m.create(new int[] {0, 3, 10, 3, -1});
      assertArrayEquals(labels.eq(3).toBooleanArray(), Scalars.eq(labels, 3).toBooleanArray());
      assertArrayEquals(new int[] {1, 4, 11, 4, 0}, Scalars.add(labels, 1).toIntArray());
      assertEquals(DataType.INT32, Scalars.mul(labels, 2).getDataType());
      assertThrows(IllegalArgumentException.class, () -> Scalars.mul(labels, 0.5));
      assertThrows(IllegalArgumentException.class, () -> Scalars.add(labels, 1e9));
    }
  }

  @Test
  void doubleArraysKeepTheConstantsDoublePrecision() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new double[] {1, 1e-3, -7.25, 3.0e8});
      for (Number c : CONSTANTS) {
        NDArray y = Scalars.mul(x, c.doubleValue());
        assertEquals(DataType.FLOAT64, y.getDataType());
        assertArrayEquals(x.mul(c.doubleValue()).toDoubleArray(), y.toDoubleArray(), 0.0, "mul " + c);
      }
    }
  }

  /**
   * d/dx Σ r·f(x) for ops whose backward reads the scalar, with a GC and NaN-poisoned memory between forward
   * and backward: exactly the analytic gradient every time. (DJL's x.mul(Number) fails this.)
   */
  @Test
  void gradientsSurviveAGarbageCollectionBetweenForwardAndBackward() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {0.3f, -1.7f, 2.5f, -0.2f, 0.9f, 4f}, new Shape(2, 3));
      NDArray r = m.create(new float[] {1.5f, -0.5f, 2f, 0.25f, -3f, 0.75f}, new Shape(2, 3));
      double c = 1 / Math.sqrt(2);
      try (NDArray s = m.full(new Shape(), (float) c)) {
        check(x, r, y -> Scalars.mul(y, c), r.mul(s));
        check(x, r, y -> Scalars.div(y, c), r.div(s));
      }
      // maximum/clip pass the gradient where x is inside: r·1[x > -0.5] and r·1[-1 < x < 1]
      check(x, r, y -> Scalars.maximum(y, -0.5), r.mul(Scalars.maximum(x, -0.5).eq(x)));
      check(x, r, y -> Scalars.clip(y, -1, 1), r.mul(Scalars.clip(x, -1, 1).eq(x)));
      check(x, r, y -> Scalars.sub(Scalars.add(y, 3), 2), r);
    }
  }

  private static void check(NDArray x, NDArray r, UnaryOperator<NDArray> f, NDArray expected) {
    for (int rep = 0; rep < 5; rep++) {
      float[] g = gradient(x, r, (leaf, w) -> f.apply(leaf).mul(w));
      assertArrayEquals(expected.toFloatArray(), g, 0f, "repetition " + rep);
    }
  }

  private static float[] gradient(NDArray x, NDArray r, BiFunction<NDArray, NDArray, NDArray> weighted) {
    return Autograd.withGradient(gc -> {
      try (NDManager scope = x.getManager().newSubManager()) {
        NDArray leaf = x.duplicate();
        leaf.attach(scope);
        leaf.setRequiresGradient(true);
        NDArray y = weighted.apply(leaf, r).sum();
        GcPoison.collectAndPoison();
        gc.backward(y);
        return leaf.getGradient().toFloatArray();
      }
    });
  }
}
