package dev.scoresde.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Scopes;
import java.util.function.BinaryOperator;

/**
 * The drift f̃(x, t) and the probe products εᵀ (∂f̃/∂x) ε for P probes per row, from one forward pass and
 * one vector-Jacobian product. Each row is copied P times into a batch of B·P rows; since the drift acts
 * on rows independently, the gradient of Σ_{rows} f̃·ε with respect to the copies is εᵀ ∂f̃/∂x for every
 * copy at once (Appendix D.2's Hutchinson–Skilling estimator, vectorised over probes).
 */
final class FlowDivergence {
  private FlowDivergence() {}

  /**
   * @param drift f̃(x, t), (batch, ...)
   * @param divergence εᵀ (∂f̃/∂x) ε for each row and probe, (batch, P)
   */
  record Evaluation(NDArray drift, NDArray divergence) {}

  /**
   * @param drift the probability-flow drift (x, t) ↦ f̃(x, t); must treat rows independently
   * @param x the state, (batch, ...); unchanged
   * @param t the time of each row, (batch)
   * @param probes (batch, P, D) with D the flattened size of a row of x
   * @return the drift (batch, ...) and the probe products (batch, P), both in x's manager, detached
   */
  static Evaluation evaluate(BinaryOperator<NDArray> drift, NDArray x, NDArray t, NDArray probes) {
    Shape shape = x.getShape();
    long b = shape.get(0);
    long d = shape.size() / b;
    long p = probes.getShape().get(1);
    if (probes.getShape().dimension() != 3 || probes.getShape().get(0) != b || probes.getShape().get(2) != d) {
      throw new IllegalArgumentException("probes " + probes.getShape() + " do not fit x " + shape);
    }
    Shape copies = new Shape(b * p).addAll(shape.slice(1));
    NDList out = Autograd.withGradient(collector -> Scopes.steps(x.getManager(), new NDList(x, t, probes), in -> {
      // A fresh leaf each call: gradients never accumulate across calls, and closing the scope frees it.
      NDArray leaf = in.get(0).reshape(b, 1, d).broadcast(new Shape(b, p, d)).reshape(copies).duplicate();
      leaf.setRequiresGradient(true);
      NDArray times = in.get(1).reshape(b, 1).broadcast(new Shape(b, p)).reshape(b * p);
      NDArray eps = in.get(2).reshape(b * p, d);
      NDArray f = drift.apply(leaf, times).reshape(b * p, d);
      collector.backward(f.mul(eps).sum());
      NDArray products = leaf.getGradient().reshape(b * p, d).mul(eps).sum(new int[] {1}).reshape(b, p);
      NDArray first = f.stopGradient().reshape(b, p, d).get(":, 0, :").reshape(shape).duplicate();
      return new NDList(first, products.duplicate());
    }));
    return new Evaluation(out.get(0), out.get(1));
  }
}
