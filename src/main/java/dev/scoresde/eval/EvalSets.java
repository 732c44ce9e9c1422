package dev.scoresde.eval;

import ai.djl.ndarray.NDManager;
import dev.scoresde.data.Batch;
import dev.scoresde.data.ImageArrayData;

/**
 * Evaluation subsets of an image set: its first n examples in the set's seeded epoch order, i.e. a uniform
 * random subset without replacement that depends on the set's seed alone.
 */
final class EvalSets {
  private EvalSets() {}

  /** The first {@code n} examples: x (n, channels, size, size), labels (n) or null; in {@code manager}. */
  static Batch first(ImageArrayData data, int n, NDManager manager) {
    if (n < 1 || n > data.count()) {
      throw new IllegalArgumentException("asked for " + n + " examples of " + data.description() + ", which has "
          + data.count());
    }
    return data.batch(0, n, manager);
  }

  /** Rows [from, to) of a batch, as views in the batch's manager. */
  static Batch rows(Batch all, int from, int to) {
    String range = from + ":" + to;
    return new Batch(all.x().get(range), all.labels() == null ? null : all.labels().get(range));
  }
}
