package dev.scoresde.serve.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.tensor.Rng;
import java.util.List;

/** A task that draws {@code n} rows with one sampler's settings: its rows and sampler name follow from them. */
interface SettingsTask extends Task {

  int n();

  SamplerSettings settings();

  /** Row i of the task draws from random stream (seed, i). */
  long seed();

  /**
   * A batch of such tasks drawn together: its members, rows, random streams (each task's own, task after task)
   * and start x_T, (rows, ...), through the first task's settings (the batch key makes them every task's).
   */
  record Draw<T extends SettingsTask>(List<T> tasks, int rows, Rng rng, NDArray xT) {
    static <T extends SettingsTask & BatchableTask> Draw<T> of(List<? extends BatchableTask> batch, Class<T> type,
        NDManager scope) {
      List<T> tasks = BatchableTask.members(batch, type);
      T first = tasks.get(0);
      int rows = tasks.stream().mapToInt(SettingsTask::n).sum();
      Rng rng = BatchableTask.streams(tasks, SettingsTask::seed);
      NDArray xT = first.settings().drawPrior(first.model().sde(), scope, first.model().shape().batchShape(rows), rng);
      return new Draw<>(tasks, rows, rng, xT);
    }
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
