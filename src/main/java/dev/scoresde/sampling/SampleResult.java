package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;

/**
 * @param samples the samples, (batch, ...), owned by the start state's manager
 * @param nfe the number of score-model evaluations spent (each evaluates the whole batch once)
 */
public record SampleResult(NDArray samples, int nfe) {}
