package dev.scoresde.sampling.ode;

import ai.djl.ndarray.NDArray;

/**
 * @param y the state at the end time, (batch, ...), owned by the start state's manager
 * @param nfe right-hand-side evaluations (each covers the whole batch)
 * @param acceptedSteps accepted steps summed over rows
 * @param rejectedSteps rejected steps summed over rows
 */
public record OdeSolution(NDArray y, int nfe, int acceptedSteps, int rejectedSteps) {}
