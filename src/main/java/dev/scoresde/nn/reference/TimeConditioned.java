package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** A residual block that takes the noise-level embedding: (x, temb or null) → block(x, temb). */
interface TimeConditioned {
  NDArray forward(ParameterStore ps, NDArray x, NDArray temb, boolean training);
}
