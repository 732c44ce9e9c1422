package dev.scoresde.sampling.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every grid runs from exactly T down to exactly ε, strictly decreasing, spaced evenly in its own variable. */
class TimeGridKindTest {
  private static final List<Sde> SDES = List.of(VpSde.paper(), SubVpSde.paper(), VeSde.paper());

  @Test
  void everyGridRunsStrictlyDownFromTToEps() {
    for (Sde sde : SDES) {
      for (TimeGridKind kind : TimeGridKind.values()) {
        for (int n : new int[] {2, 3, 11, 50}) {
          TimeGrid g = kind.grid(sde, sde.samplingEps(), n); // TimeGrid itself rejects non-decreasing grids
          assertEquals(n, g.size());
          assertEquals(sde.endTime(), g.get(0), 0.0, kind + " " + sde.kind());
          assertEquals(sde.samplingEps(), g.get(n - 1), 0.0, kind + " " + sde.kind());
        }
      }
    }
  }

  @Test
  void eachGridIsEvenInItsOwnVariable() {
    int n = 9;
    for (Sde sde : SDES) {
      NoiseLevels levels = new NoiseLevels(sde);
      double eps = sde.samplingEps();
      double[] uniform = TimeGridKind.UNIFORM.grid(sde, eps, n).times();
      double[] quadratic = TimeGridKind.QUADRATIC.grid(sde, eps, n).times();
      double[] logSnr = TimeGridKind.LOG_SNR.grid(sde, eps, n).times();
      double[] karras = TimeGridKind.KARRAS.grid(sde, eps, n).times();
      for (int i = 1; i < n; i++) {
        String at = sde.kind() + " i=" + i;
        assertEquals((eps - 1) / (n - 1), uniform[i] - uniform[i - 1], 1e-12, at);
        assertEquals(Math.sqrt((quadratic[i - 1] - eps) / (1 - eps)) - Math.sqrt((quadratic[i] - eps) / (1 - eps)),
            1.0 / (n - 1), 1e-12, at);
        assertEquals((levels.lambda(eps) - levels.lambda(1)) / (n - 1),
            levels.lambda(logSnr[i]) - levels.lambda(logSnr[i - 1]), 1e-9, at);
        double rho = TimeGridKind.RHO;
        assertEquals((Math.pow(levels.sigmaTilde(eps), 1 / rho) - Math.pow(levels.sigmaTilde(1), 1 / rho)) / (n - 1),
            Math.pow(levels.sigmaTilde(karras[i]), 1 / rho) - Math.pow(levels.sigmaTilde(karras[i - 1]), 1 / rho),
            1e-9, at);
      }
    }
  }

  /** The VP noise level is EDM's σ = √(1 − ᾱ)/√ᾱ, and λ inverts to the time it came from. */
  @Test
  void noiseLevelsInvertAndMatchEdmForVp() {
    VpSde vp = VpSde.paper();
    NoiseLevels levels = new NoiseLevels(vp);
    for (double t : new double[] {1e-3, 0.01, 0.3, 0.77, 1}) {
      double alphaBar = Math.pow(vp.meanCoefficient(t), 2);
      assertEquals(Math.sqrt(1 - alphaBar) / Math.sqrt(alphaBar), levels.sigmaTilde(t), 1e-12 * levels.sigmaTilde(t));
      assertEquals(t, levels.timeOfLambda(levels.lambda(t)), 1e-12);
      assertEquals(t, levels.timeOfSigmaTilde(levels.sigmaTilde(t)), 1e-12);
    }
    assertTrue(levels.lambda(0.2) > levels.lambda(0.3));
  }

  @Test
  void badArgumentsAreRejected() {
    Sde vp = VpSde.paper();
    assertThrows(IllegalArgumentException.class, () -> TimeGridKind.KARRAS.grid(vp, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> TimeGridKind.KARRAS.grid(vp, 1, 10));
    assertThrows(IllegalArgumentException.class, () -> TimeGridKind.LOG_SNR.grid(vp, 1e-3, 1));
  }
}
