package dev.scoresde.serve.task;

import dev.scoresde.tensor.Rng;
import java.util.ArrayList;
import java.util.function.ToLongFunction;

import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.SamplingListener;
import java.util.List;

/**
 * A task that can share one sampler call with compatible queued tasks (micro-batching). The contract: tasks
 * with equal {@link #batchKey()}s, run together by {@link #runBatch}, each get bit for bit what they get
 * alone. That holds when every row draws from its own random stream (one {@link dev.scoresde.tensor.Rng}
 * row per batch row, concatenated task by task) and the sampler and the score treat rows independently.
 *
 * <p>Flow operations (encode, decode, likelihood, interpolate) are deliberately not batchable: see
 * {@link FlowTask}.
 */
public interface BatchableTask extends Task {

  /**
   * What must agree for tasks to share a batch (compared with {@code equals}; keys of different task types
   * never match), or null when this task must run alone, e.g. when its settings couple the batch's rows
   * ({@link dev.scoresde.sampling.settings.SamplerSettings#couplesRows}).
   */
  Object batchKey();

  /**
   * Runs {@code batch} (tasks with this task's key, this one among them) as one batch and splits the result
   * back: one result per task, in order, each with the task's own images and metadata.
   */
  List<OperationResult> runBatch(List<? extends BatchableTask> batch, NDManager scope, SamplingListener listener);

  /** Alone is a batch of one: the merged and the unmerged path are the same code. */
  @Override
  default OperationResult run(NDManager scope, SamplingListener listener) {
    return runBatch(List.of(this), scope, listener).get(0);
  }

  /** The batch's random streams: each task's own (seed, its rows) streams, concatenated in task order. */
  static <T extends BatchableTask> Rng streams(List<T> tasks, ToLongFunction<? super T> seed) {
    return Rng.concat(tasks.stream().map(t -> Rng.of(seed.applyAsLong(t), t.rows())).toArray(Rng[]::new));
  }

  /** The batch's output rows cut back into each task's own rows, in task order. */
  static List<List<float[]>> perTask(List<float[]> rows, List<? extends Task> tasks) {
    List<List<float[]>> out = new ArrayList<>();
    int at = 0;
    for (Task t : tasks) {
      out.add(new ArrayList<>(rows.subList(at, at + t.rows())));
      at += t.rows();
    }
    return out;
  }

  /** The batch as tasks of {@code type} sharing one key (a lone task may have none); else IllegalArgumentException. */
  static <T extends BatchableTask> List<T> members(List<? extends BatchableTask> batch, Class<T> type) {
    Object key = batch.get(0).batchKey();
    for (BatchableTask t : batch) {
      if (!type.isInstance(t) || (batch.size() > 1 && (key == null || !key.equals(t.batchKey())))) {
        throw new IllegalArgumentException("tasks with different batch keys cannot share a batch: " + key + " vs "
            + t.batchKey());
      }
    }
    return batch.stream().map(type::cast).toList();
  }
}
