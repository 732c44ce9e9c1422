package dev.scoresde.train.loss;

import ai.djl.ndarray.NDArray;
import dev.scoresde.tensor.Scalars;
import java.util.Locale;

/**
 * How a per-element squared error becomes a per-example loss, as in the reference's {@code reduce_mean}:
 * the mean over data dimensions, or half their sum.
 */
public enum Reduction {
  MEAN,
  SUM;

  /** (batch, ...) → (batch). */
  public NDArray perRow(NDArray squares) {
    NDArray flat = squares.reshape(squares.getShape().get(0), -1);
    return this == MEAN ? flat.mean(new int[] {1}) : Scalars.mul(flat.sum(new int[] {1}), 0.5f);
  }

  public static Reduction parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "mean" -> MEAN;
      case "sum" -> SUM;
      default -> throw new IllegalArgumentException("unknown reduction '" + name + "' (expected mean or sum)");
    };
  }
}
