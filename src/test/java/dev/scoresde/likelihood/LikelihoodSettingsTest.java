package dev.scoresde.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LikelihoodSettingsTest {

  @Test
  void defaultsAreTheReferences() {
    LikelihoodSettings s = LikelihoodSettings.defaults();
    assertEquals(1e-5, s.rtol());
    assertEquals(1e-5, s.atol());
    assertEquals(1e-5, s.eps());
    assertEquals(DivergenceEstimator.RADEMACHER, s.estimator());
    assertEquals(1, s.probes());
    assertEquals(1e-5, s.odeOptions().rtol());
  }

  @Test
  void rejectsInvalidValuesNamingTheField() {
    DivergenceEstimator r = DivergenceEstimator.RADEMACHER;
    rejects("rtol", () -> new LikelihoodSettings(0, 1e-5, 1e-5, r, 1, 100));
    rejects("rtol", () -> new LikelihoodSettings(Double.NaN, 1e-5, 1e-5, r, 1, 100));
    rejects("atol", () -> new LikelihoodSettings(1e-5, -1, 1e-5, r, 1, 100));
    rejects("atol", () -> new LikelihoodSettings(1e-5, Double.POSITIVE_INFINITY, 1e-5, r, 1, 100));
    rejects("eps", () -> new LikelihoodSettings(1e-5, 1e-5, 0, r, 1, 100));
    rejects("eps", () -> new LikelihoodSettings(1e-5, 1e-5, 1, r, 1, 100));
    rejects("estimator", () -> new LikelihoodSettings(1e-5, 1e-5, 1e-5, null, 1, 100));
    rejects("probes", () -> new LikelihoodSettings(1e-5, 1e-5, 1e-5, r, 0, 100));
    rejects("probes", () -> new LikelihoodSettings(1e-5, 1e-5, 1e-5, r, LikelihoodSettings.MAX_PROBES + 1, 100));
    rejects("maxSteps", () -> new LikelihoodSettings(1e-5, 1e-5, 1e-5, r, 1, 0));
  }

  @Test
  void estimatorsAreFoundByTheirApiNames() {
    for (DivergenceEstimator e : DivergenceEstimator.values()) {
      assertEquals(e, DivergenceEstimator.byName(e.apiName()));
    }
    assertEquals(DivergenceEstimator.GAUSSIAN, DivergenceEstimator.byName(" Gaussian "));
    rejects("rademacher, gaussian, exact", () -> DivergenceEstimator.byName("skilling"));
    rejects("rademacher, gaussian, exact", () -> DivergenceEstimator.byName(null));
  }

  @Test
  void exactDivergenceRefusesLargeDimensions() {
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      rejects("D ≤ 64", () -> DivergenceEstimator.EXACT.probes(m, null, 1, 65, 1));
      rejects("one row per batch row", () -> DivergenceEstimator.RADEMACHER.probes(m, null, 1, 4, 1));
    }
  }

  private static void rejects(String mention, Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(mention), ex.getMessage());
  }
}
