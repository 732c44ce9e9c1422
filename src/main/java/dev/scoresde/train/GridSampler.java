package dev.scoresde.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.score.NetworkScoreModel;

/** Draws the samples of the periodic sample grid; wired to the sampling package by the application. */
@FunctionalInterface
public interface GridSampler {

  /**
   * @param emaModel the averaged weights as an inference-mode score model (spec and SDE inside)
   * @param shape the data shape
   * @param count how many samples
   * @param seed the grid's seed (the same every time, so grids of a run are comparable)
   * @param manager where to create the samples
   * @return (count, channels, size, size) samples in the data's value range
   */
  NDArray sample(NetworkScoreModel emaModel, DataShape shape, int count, long seed, NDManager manager);
}
