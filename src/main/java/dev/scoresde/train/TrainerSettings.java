package dev.scoresde.train;

/**
 * The loop's schedule.
 *
 * @param steps total training steps (a resumed run continues to this count)
 * @param batchSize examples per step
 * @param seed the run's seed: initialization, data order, noise and dropout all derive from it and the step
 * @param logInterval steps between progress lines (and loss-history points)
 * @param checkpointInterval steps between checkpoints (one is always written at the end)
 * @param keepCheckpoints how many of the newest checkpoints to keep
 * @param sampleInterval steps between sample grids (0: never)
 * @param gridRows rows of the sample grid
 * @param gridCols columns of the sample grid
 */
public record TrainerSettings(long steps, int batchSize, long seed, int logInterval, int checkpointInterval,
    int keepCheckpoints, int sampleInterval, int gridRows, int gridCols) {

  public TrainerSettings {
    if (steps < 1 || batchSize < 1 || logInterval < 1 || checkpointInterval < 1 || keepCheckpoints < 1
        || sampleInterval < 0 || gridRows < 1 || gridCols < 1) {
      throw new IllegalArgumentException("trainer settings need steps, batch size, log and checkpoint intervals,"
          + " kept checkpoints and grid rows/cols ≥ 1 and a sample interval ≥ 0: " + this);
    }
  }
}
