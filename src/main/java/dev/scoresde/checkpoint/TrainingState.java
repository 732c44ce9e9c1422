package dev.scoresde.checkpoint;

import java.util.List;

/**
 * The resumable state of a run besides its arrays ({@code state.json}).
 *
 * @param step training steps done
 * @param seed the run's seed (every batch, noise draw and dropout mask derives from it and the step)
 * @param lossHistory the mean loss of each completed log interval
 * @param pendingLossSum sum of the losses of the steps after the last log point
 * @param pendingLossCount how many steps that sum holds
 * @param wallTimeSeconds training time over all sessions
 */
public record TrainingState(long step, long seed, List<LossPoint> lossHistory, double pendingLossSum,
    int pendingLossCount, double wallTimeSeconds) {

  public TrainingState {
    lossHistory = lossHistory == null ? List.of() : List.copyOf(lossHistory);
  }

  /** The mean loss over the interval ending at {@code step}. */
  public record LossPoint(long step, double loss) {}
}
