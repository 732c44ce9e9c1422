package dev.scoresde.sde;

import ai.djl.ndarray.NDArray;

/**
 * f_i(x) and G_i of a discretized (forward or reverse) chain at each row's time.
 *
 * @param f the increment f_i(x), (batch, ...)
 * @param g G_i, (batch, 1, ...) broadcastable against x
 */
public record Discretization(NDArray f, NDArray g) {}
