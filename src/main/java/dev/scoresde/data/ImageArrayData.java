package dev.scoresde.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.util.List;

/**
 * An in-memory set of 8-bit square images, served in epoch order, zero-padded (pixel 0, the background)
 * from their original size to the network's size and scaled to the value range.
 */
public final class ImageArrayData extends ImageData {
  private final byte[] pixels; // (n, channels, original, original) unsigned
  private final int[] labels; // (n), or null

  public ImageArrayData(byte[] pixels, int[] labels, int channels, int originalSize, int paddedSize, ValueRange range,
      List<String> classNames, String description, long seed) {
    super(count(pixels, labels, channels, originalSize, paddedSize),
        DataShape.image(channels, paddedSize, originalSize), range, classNames, description, seed);
    this.pixels = pixels;
    this.labels = labels;
  }

  /** The number of images, after checking the padding and that pixels and labels agree on it. */
  private static int count(byte[] pixels, int[] labels, int channels, int originalSize, int paddedSize) {
    if (paddedSize < originalSize || (paddedSize - originalSize) % 2 != 0) {
      throw new IllegalArgumentException(
          "pad-to must be at least the image size " + originalSize + " and differ from it by an even number, got "
              + paddedSize);
    }
    int per = channels * originalSize * originalSize;
    if (pixels.length % per != 0) {
      throw new IllegalArgumentException("pixel count " + pixels.length + " is not a multiple of " + per);
    }
    int count = pixels.length / per;
    if (labels != null && labels.length != count) {
      throw new IllegalArgumentException(count + " images but " + labels.length + " labels");
    }
    return count;
  }

  @Override
  public Batch batch(long step, int batchSize, NDManager manager) {
    int[] idx = order.batch(step, batchSize);
    DataShape shape = shape();
    int c = shape.channels();
    int size = shape.size();
    int orig = shape.originalSize();
    int pad = shape.padding();
    int perIn = c * orig * orig;
    int perOut = c * size * size;
    float[] x = new float[batchSize * perOut];
    java.util.Arrays.fill(x, lut[0]);
    for (int j = 0; j < batchSize; j++) {
      int in = idx[j] * perIn;
      for (int ch = 0; ch < c; ch++) {
        for (int r = 0; r < orig; r++) {
          int src = in + (ch * orig + r) * orig;
          int dst = j * perOut + (ch * size + r + pad) * size + pad;
          for (int col = 0; col < orig; col++) {
            x[dst + col] = lut[pixels[src + col] & 0xFF];
          }
        }
      }
    }
    NDArray xs = manager.create(x, shape.batchShape(batchSize));
    NDArray ls = null;
    if (labels != null) {
      int[] l = new int[batchSize];
      for (int j = 0; j < batchSize; j++) {
        l[j] = labels[idx[j]];
      }
      ls = manager.create(l);
    }
    return new Batch(xs, ls);
  }
}
