package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** A module of one input: x → module(x). */
interface Unary {
  NDArray forward(ParameterStore ps, NDArray x, boolean training);
}
