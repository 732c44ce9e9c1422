package dev.scoresde.serve.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.serve.model.ServedModel;
import dev.scoresde.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/** A task that draws {@code n} rows with one sampler's settings: its rows and sampler name follow from them. */
interface SettingsTask extends Task {

  int n();

  SamplerSettings settings();

  /** Row i of the task draws from random stream (seed, i). */
  long seed();

  /**
   * A batch of such tasks drawn together: its members, rows, random streams (each task's own, task after task)
   * and start x_T, (rows, ...), through the first task's settings (the batch key makes them every task's); the
   * batch's wall time counts from {@code startNanos}, when the draw began.
   */
  record Draw<T extends SettingsTask>(List<T> tasks, int rows, Rng rng, NDArray xT, long startNanos) {
    static <T extends SettingsTask & BatchableTask> Draw<T> of(List<? extends BatchableTask> batch, Class<T> type,
        NDManager scope) {
      long start = System.nanoTime();
      List<T> tasks = BatchableTask.members(batch, type);
      T first = tasks.get(0);
      int rows = tasks.stream().mapToInt(SettingsTask::n).sum();
      Rng rng = BatchableTask.streams(tasks, SettingsTask::seed);
      NDArray xT = first.settings().drawPrior(first.model().sde(), scope, first.model().shape().batchShape(rows), rng);
      return new Draw<>(tasks, rows, rng, xT, start);
    }

    /**
     * One result per task, in order: its own rows of the batch's {@code samples} (rows, ...) and its metadata,
     * given the batch's score evaluations, its wall time and rows.
     */
    List<OperationResult> results(NDArray samples, int nfe, MetadataOf<T> metadata) {
      List<List<float[]>> images = BatchableTask.perTask(FlowTask.split(samples.toFloatArray(), rows), tasks);
      long wall = (System.nanoTime() - startNanos) / 1_000_000;
      List<OperationResult> out = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        T t = tasks.get(i);
        ServedModel m = t.model();
        out.add(new OperationResult(m.name(), t.kind(), m.shape(), m.range(), images.get(i), null,
            metadata.of(t, nfe, wall, rows)));
      }
      return out;
    }
  }

  /** A task's metadata in a batch that took {@code nfe} evaluations and {@code wallMillis} for its rows. */
  interface MetadataOf<T> {
    Metadata of(T task, int nfe, long wallMillis, int batchRows);
  }

  @Override
  default int rows() {
    return n();
  }

  @Override
  default String sampler() {
    return settings().kind().id();
  }
}
