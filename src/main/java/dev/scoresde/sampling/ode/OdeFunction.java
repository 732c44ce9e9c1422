package dev.scoresde.sampling.ode;

import ai.djl.ndarray.NDArray;

/** The right-hand side dy/dt = f(t, y) of an ODE integrated row by row. */
@FunctionalInterface
public interface OdeFunction {

  /**
   * @param t the time of each row, (batch)
   * @param y the state, (batch, ...)
   * @return dy/dt, same shape as y, in y's manager
   */
  NDArray apply(NDArray t, NDArray y);
}
