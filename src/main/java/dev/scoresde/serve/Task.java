package dev.scoresde.serve;

import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.SamplingListener;

/** A validated operation bound to its model, ready to run on a worker. */
public interface Task {

  ServedModel model();

  OperationKind kind();

  /** Batch rows this task occupies (for batching and metrics). */
  int rows();

  /** The sampler or solver name, for latency metrics. */
  String sampler();

  /**
   * Runs in {@code scope} (a sub-manager of the model's manager, closed by the caller afterwards).
   *
   * @param listener progress; throws CancellationException to stop
   */
  OperationResult run(NDManager scope, SamplingListener listener);
}
