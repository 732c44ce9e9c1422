package dev.scoresde.data;

import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.util.List;

/** A set of {@code count} images held in memory and served in epoch order, with its shape, range and provenance. */
abstract sealed class ImageData implements TrainingData permits ImageArrayData, ImageFolderData {
  private final int count;
  private final DataShape shape;
  private final ValueRange range;
  private final List<String> classNames;
  private final String description;
  /** The epoch order of the images. */
  final EpochOrder order;
  /** The value of each 8-bit pixel in the range. */
  final float[] lut = new float[256];

  ImageData(int count, DataShape shape, ValueRange range, List<String> classNames, String description, long seed) {
    this.count = count;
    this.shape = shape;
    this.range = range;
    this.classNames = List.copyOf(classNames);
    this.description = description;
    this.order = new EpochOrder(count, seed);
    for (int p = 0; p < 256; p++) {
      lut[p] = range.fromPixel(p);
    }
  }

  public int count() {
    return count;
  }

  @Override
  public DataShape shape() {
    return shape;
  }

  @Override
  public ValueRange range() {
    return range;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public String description() {
    return description;
  }
}
