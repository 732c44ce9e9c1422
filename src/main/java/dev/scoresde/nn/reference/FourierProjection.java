package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.scoresde.tensor.Scalars;

/**
 * Gaussian random Fourier features (layerspp.GaussianFourierProjection): a fixed W (size), not trained
 * ({@code requires_grad=False}, so absent from the EMA's shadow parameters; its value comes from the
 * model's state dict). v (batch) → [sin(2π v W), cos(2π v W)] (batch, 2·size).
 */
final class FourierProjection extends TorchModule implements Unary {
  private final Parameter w;

  FourierProjection(int size) {
    w = param("W", new Shape(size), false);
  }

  @Override
  public NDArray forward(ParameterStore ps, NDArray v, boolean training) {
    NDArray proj = Scalars.mul(v.reshape(-1, 1).mul(value(ps, w, v, training)), 2 * Math.PI);
    return NDArrays.concat(new NDList(proj.sin(), proj.cos()), 1);
  }
}
