package dev.scoresde.data;

import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.util.List;

/**
 * A training set that serves batches as a pure function of (seed, step): the batch at step k is the
 * same in an uninterrupted run and in a run resumed at k, so resumption continues the same data order.
 */
public interface TrainingData {

  DataShape shape();

  ValueRange range();

  /** Class names (index = label), empty for unlabelled data. */
  List<String> classNames();

  /** A short provenance string for the model card ("fashion-mnist train (60000 images)"). */
  String description();

  /** The batch of training step {@code step}, created in {@code manager}. */
  Batch batch(long step, int batchSize, NDManager manager);
}
