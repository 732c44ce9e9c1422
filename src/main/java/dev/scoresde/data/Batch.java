package dev.scoresde.data;

import ai.djl.ndarray.NDArray;

/**
 * One training batch.
 *
 * @param x the data, (batch, channels, size, size) or (batch, d), in the dataset's value range
 * @param labels the class of each row, (batch) int32, or null for unlabelled data
 */
public record Batch(NDArray x, NDArray labels) {

  public int size() {
    return Math.toIntExact(x.getShape().get(0));
  }
}
