package dev.scoresde.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.Rng;
import java.util.Locale;

/**
 * How ∇·f̃ of the probability-flow drift is evaluated (Song et al. 2021, Appendix D.2): the
 * Hutchinson–Skilling estimator E_ε[εᵀ (∂f̃/∂x) ε] with Rademacher or Gaussian probes (unbiased for any
 * probe with E[εεᵀ] = I), or the exact trace as the sum of D unit-vector products (small D only).
 */
public enum DivergenceEstimator {
  RADEMACHER,
  GAUSSIAN,
  EXACT;

  /** The largest data dimension the exact estimator accepts: it evaluates the drift on D copies of each row. */
  public static final int EXACT_MAX_DIMENSION = 64;

  /** Looks an estimator up by its API name ("rademacher", "gaussian", "exact"), case-insensitive. */
  public static DivergenceEstimator byName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown divergence estimator '" + name
          + "', expected one of rademacher, gaussian, exact");
    }
  }

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The API's names, in declaration order. */
  public static java.util.List<String> apiNames() {
    return java.util.Arrays.stream(values()).map(DivergenceEstimator::apiName).toList();
  }

  /** Whether the probes are summed into one exact trace (true) or each gives its own estimate (false). */
  public boolean isExact() {
    return this == EXACT;
  }

  /** How many Δlog p channels the augmented ODE state carries: one per probe, or one exact trace. */
  public int channels(int probes) {
    return isExact() ? 1 : probes;
  }

  /**
   * The probe vectors for each row, drawn once per integration and held fixed over the solve (as in the
   * reference): (batch, P, d) with P = probes for Hutchinson, P = d unit vectors for the exact trace.
   *
   * @param rng one stream per row; only Hutchinson draws from it (may be null for EXACT)
   */
  public NDArray probes(NDManager manager, Rng rng, int batch, int d, int probes) {
    Shape shape = new Shape(batch, isExact() ? d : probes, d);
    switch (this) {
      case EXACT -> {
        if (d > EXACT_MAX_DIMENSION) {
          throw new IllegalArgumentException("the exact divergence needs D ≤ " + EXACT_MAX_DIMENSION
              + " (it evaluates the model on D copies of each row), got D = " + d + "; use rademacher");
        }
        try (NDArray eye = manager.eye(d)) {
          return eye.expandDims(0).broadcast(shape).duplicate();
        }
      }
      case RADEMACHER -> {
        return requireRows(rng, batch).rademacher(manager, shape);
      }
      case GAUSSIAN -> {
        return requireRows(rng, batch).normal(manager, shape);
      }
      default -> throw new AssertionError(this);
    }
  }

  private static Rng requireRows(Rng rng, int batch) {
    if (rng == null || rng.rows() != batch) {
      throw new IllegalArgumentException("Hutchinson probes need an Rng with one row per batch row (" + batch + ")");
    }
    return rng;
  }
}
