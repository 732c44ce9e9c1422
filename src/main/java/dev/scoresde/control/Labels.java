package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Class labels of a guided batch, kept on the JVM so each score call makes its tensors in x's manager. */
final class Labels {
  private Labels() {}

  static int[] toInts(NDArray labels) {
    if (labels.getShape().dimension() != 1) {
      throw new IllegalArgumentException("labels must be (batch), got " + labels.getShape());
    }
    try (NDArray ints = labels.toType(DataType.INT32, true)) {
      return ints.toIntArray();
    }
  }

  /** Checks every label is a class 0..K−1 and returns a copy. */
  static int[] check(int[] labels, int classes) {
    nonNegative(labels);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of row " + i + " is not a class 0.." + (classes - 1));
      }
    }
    return labels.clone();
  }

  /** Checks labels are given and ≥ 0 (before the number of classes is known) and returns a copy. */
  static int[] nonNegative(int[] labels) {
    if (labels == null || labels.length == 0) {
      throw new IllegalArgumentException("labels must be given, one per row");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is negative");
      }
    }
    return labels.clone();
  }

  /** The batch size of x, which must match the number of labels. */
  static long requireRows(NDArray x, int[] labels) {
    long b = x.getShape().get(0);
    if (b != labels.length) {
      throw new IllegalArgumentException("x has " + b + " rows but " + labels.length + " labels were given");
    }
    return b;
  }
}
