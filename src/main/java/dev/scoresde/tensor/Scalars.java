package dev.scoresde.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Element-wise operations of an array with a Java number that stay correct under autograd. Use these
 * instead of {@code NDArray.mul(Number)}, {@code div(Number)}, {@code add(Number)}, … everywhere
 * (ScalarOpsGuardTest fails on any such call outside this class).
 *
 * <p>Why: DJL 0.36's PyTorch engine implements every NDArray-with-Number operation as
 * {@code try (NDArray s = manager.create(n)) { return op(s); }}. {@code manager.create} wraps a Java
 * direct ByteBuffer with {@code torch::from_blob}, and only the Java PtNDArray keeps that buffer alive;
 * {@code close()} drops it. Autograd saves the scalar tensor for the backward pass (mul saves the other
 * factor, div both operands, maximum/minimum their inputs), so once a GC has run between forward and
 * backward the graph reads freed memory: gradients turn NaN, zero or wildly wrong, at random.
 *
 * <p>Here the scalar is a 0-d tensor from libtorch's own allocator ({@code NDManager.full} →
 * {@code torch::full}, or a clone), whose storage the graph refcounts, so closing its Java handle right
 * after the operation is safe. The scalar has x's data type: PyTorch casts a 0-d operand of the same
 * category to the dimensioned operand's type before operating, so results are bit-identical to the old
 * {@code op(Number)} calls (ScalarsTest; {@link #clip} differs only in NaN payloads and signed zeros).
 * Every operation takes x of any shape and returns a new array of that shape in x's manager.
 */
public final class Scalars {
  /** Integers up to 2^24 are exact in the float that {@link NDManager#full} takes. */
  private static final double EXACT_INT = 1 << 24;

  private Scalars() {}

  /** x · c. */
  public static NDArray mul(NDArray x, double c) {
    return apply(x, c, NDArray::mul);
  }

  /** x / c. */
  public static NDArray div(NDArray x, double c) {
    return apply(x, c, NDArray::div);
  }

  /** x + c. */
  public static NDArray add(NDArray x, double c) {
    return apply(x, c, NDArray::add);
  }

  /** x − c. */
  public static NDArray sub(NDArray x, double c) {
    return apply(x, c, NDArray::sub);
  }

  /** max(x, c) element-wise (NaN propagates). */
  public static NDArray maximum(NDArray x, double c) {
    return apply(x, c, NDArray::maximum);
  }

  /** min(x, c) element-wise (NaN propagates). */
  public static NDArray minimum(NDArray x, double c) {
    return apply(x, c, NDArray::minimum);
  }

  /**
   * min(max(x, lo), hi): the values of {@code x.clip(lo, hi)} (torch.clamp). Equal as numbers, not always
   * as bits: a NaN input leaves as a NaN with another payload, and −0 on a bound of 0 may leave as +0. At x
   * exactly on a bound autograd splits the gradient (maximum/minimum) where clamp passes all of it.
   */
  public static NDArray clip(NDArray x, double lo, double hi) {
    try (NDArray low = scalar(x, lo);
        NDArray raised = x.maximum(low);
        NDArray high = scalar(x, hi)) {
      return raised.minimum(high);
    }
  }

  /** x == c as a boolean array. */
  public static NDArray eq(NDArray x, double c) {
    return apply(x, c, NDArray::eq);
  }

  /** op(x, c) with c as a libtorch-allocated 0-d tensor, closed right after (the graph keeps its storage). */
  private static NDArray apply(NDArray x, double c, BinaryOperator<NDArray> op) {
    try (NDArray s = scalar(x, c)) {
      return op.apply(x, s);
    }
  }

  /**
   * A 0-d tensor holding c in x's data type and manager, allocated by libtorch (never from_blob). Integer
   * and boolean arrays take only integers that a float holds exactly.
   */
  static NDArray scalar(NDArray x, double c) {
    NDManager m = x.getManager();
    DataType type = x.getDataType();
    if (type == DataType.FLOAT64) {
      // full() takes a float; clone the from_blob double instead of rounding it.
      try (NDArray blob = m.create(c)) {
        return blob.duplicate();
      }
    }
    if (!type.isFloating() && (c != Math.rint(c) || Math.abs(c) > EXACT_INT)) {
      throw new IllegalArgumentException(c + " is not an exact integer for a " + type + " array");
    }
    return m.full(new Shape(), (float) c, type);
  }
}
