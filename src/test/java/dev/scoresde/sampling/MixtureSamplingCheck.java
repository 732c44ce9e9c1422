package dev.scoresde.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a sampler with the exact mixture score from exact draws of p_T (so only the sampler's own error
 * remains; the prior mismatch N(0, σ_max²) vs p_T is the caller's business) and compares its output with
 * fresh exact data draws ({@link SampleChecks}). One instance per test class, registered as a static
 * {@code @RegisterExtension} field: it closes itself after all the class's tests.
 */
final class MixtureSamplingCheck implements AutoCloseable, AfterAllCallback {
  /** Samples per check: a proportion's SE is ≤ 0.8 %, a variance's ≈ 2 %. */
  static final int N = 4000;

  private final NDManager manager = NDManager.newBaseManager();
  private final Map<String, NDArray> cache = new HashMap<>();

  /** Samples from x_T ~ p_T with seed 7 and checks them; returns the report. */
  SampleChecks.Report run(Sampler sampler, Sde sde, GaussianMixture g) {
    GaussianMixtureScore oracle = new GaussianMixtureScore(g, sde);
    NDArray xT = cache.computeIfAbsent(key("start", sde, g), k -> Mixtures.marginal(manager, g, sde, sde.endTime(), N, 1));
    NDArray exact = cache.computeIfAbsent(key("data", sde, g), k -> Mixtures.data(manager, g, N, 2));
    try (NDManager scope = manager.newSubManager()) {
      NDArray start = xT.duplicate();
      start.attach(scope);
      NDArray out = sampler.sample(oracle, sde, start, SamplingContext.of(Rng.of(7, N))).samples();
      return SampleChecks.compare(out, exact, oracle, 1e-3);
    }
  }

  private static String key(String what, Sde sde, GaussianMixture g) {
    return what + sde + g.dimension();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    manager.close();
  }
}
