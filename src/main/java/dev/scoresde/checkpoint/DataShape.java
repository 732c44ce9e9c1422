package dev.scoresde.checkpoint;

import ai.djl.ndarray.types.Shape;

/**
 * The shape of one data example. Images: {@code channels} × {@code size} × {@code size}, of which the
 * centre {@code originalSize} × {@code originalSize} is real data (Fashion-MNIST's 28 padded to 32).
 * Vectors (low-dimensional synthetic data): {@code size} = 0 and {@code channels} is the dimension.
 */
public record DataShape(int channels, int size, int originalSize) {

  public DataShape {
    if (channels < 1 || size < 0 || originalSize < 0 || originalSize > size) {
      throw new IllegalArgumentException(
          "bad data shape: channels " + channels + ", size " + size + ", original size " + originalSize);
    }
  }

  public static DataShape image(int channels, int size, int originalSize) {
    return new DataShape(channels, size, originalSize);
  }

  public static DataShape vector(int dimension) {
    return new DataShape(dimension, 0, 0);
  }

  public boolean isImage() {
    return size > 0;
  }

  /** Values per example. */
  public int dimension() {
    return isImage() ? channels * size * size : channels;
  }

  /** (n, channels, size, size) for images, (n, channels) for vectors. */
  public Shape batchShape(long n) {
    return isImage() ? new Shape(n, channels, size, size) : new Shape(n, channels);
  }

  /** The zero padding on each side, (size − originalSize)/2. */
  public int padding() {
    return (size - originalSize) / 2;
  }
}
