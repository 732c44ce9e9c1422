package dev.scoresde.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;

/** Scoped tensor memory: a step's intermediates live in a sub-manager that is closed when the step ends. */
public final class Scopes {
  private Scopes() {}

  /**
   * Runs {@code body} on {@code x} inside a fresh sub-manager of x's manager; the returned array is
   * moved to x's manager and everything else the body created is freed. {@code x} itself survives.
   */
  public static NDArray step(NDArray x, Function<NDArray, NDArray> body) {
    NDManager owner = x.getManager();
    try (NDManager scope = owner.newSubManager()) {
      x.tempAttach(scope);
      NDArray out = body.apply(x);
      out.attach(owner);
      return out;
    }
  }

  /** Like {@link #step(NDArray, Function)} for several inputs and outputs, all owned by {@code owner}. */
  public static NDList steps(NDManager owner, NDList inputs, Function<NDList, NDList> body) {
    try (NDManager scope = owner.newSubManager()) {
      inputs.tempAttach(scope);
      NDList out = body.apply(inputs);
      out.attach(owner);
      return out;
    }
  }

  /** Closes an array unless it is null or the same object as {@code keep}. */
  public static void closeUnless(NDArray array, NDArray keep) {
    if (array != null && array != keep) {
      array.close();
    }
  }

}
