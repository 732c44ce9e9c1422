package dev.scoresde.sampling.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sde.Times;
import org.junit.jupiter.api.Test;

class DormandPrinceTest {

  /** dy/dt = λ_row·t·y has y(t1) = y(t0)·exp(λ (t1² − t0²)/2): a different exact answer per row. */
  @Test
  void solvesLinearTimeVaryingOdeWithinTolerancePerRow() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] lambda = {-3f, 0.5f, 2f};
      NDArray lam = m.create(lambda, new Shape(3, 1));
      NDArray y0 = m.create(new float[] {1, 2, -1, 0.5f, 3, 1}, new Shape(3, 2));
      OdeFunction f = (t, y) -> y.mul(lam).mul(t.reshape(3, 1));
      OdeSolution s = new DormandPrince(OdeOptions.of(1e-6, 1e-6)).solve(f, y0, 1.0, 0.1, OdeListener.NONE);
      float[] out = s.y().toFloatArray();
      float[] in = y0.toFloatArray();
      for (int r = 0; r < 3; r++) {
        double g = Math.exp(lambda[r] * (0.01 - 1) / 2);
        for (int j = 0; j < 2; j++) {
          assertEquals(in[2 * r + j] * g, out[2 * r + j], 2e-5 * Math.abs(in[2 * r + j] * g) + 1e-6);
        }
      }
      assertTrue(s.nfe() > 6 && s.nfe() < 200, "nfe " + s.nfe());
    }
  }

  @Test
  void errorShrinksWithTolerance() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray y0 = m.create(new float[] {1, 0}, new Shape(1, 2));
      // Rotation: y = (cos, -sin)·… an oscillator, exact solution known at t = 3.
      OdeFunction f = (t, y) -> {
        NDArray a = y.get(":, 0:1");
        NDArray b = y.get(":, 1:2");
        return b.concat(a.neg(), 1);
      };
      double prev = Double.MAX_VALUE;
      for (double tol : new double[] {1e-3, 1e-5}) {
        float[] out = new DormandPrince(OdeOptions.of(tol, tol)).solve(f, y0, 0, 3, OdeListener.NONE).y().toFloatArray();
        double err = Math.hypot(out[0] - Math.cos(3), out[1] + Math.sin(3));
        assertTrue(err < 50 * tol, "error " + err + " at tol " + tol);
        assertTrue(err < prev, "error did not shrink with tolerance");
        prev = err;
      }
    }
  }

  @Test
  void aRowsResultDoesNotDependOnItsBatch() {
    try (NDManager m = NDManager.newBaseManager()) {
      OdeFunction f = (t, y) -> y.square().neg().add(Times.perRow(y, t, Math::sin));
      NDArray batch = m.create(new float[] {0.3f, -0.2f, 1.5f, 0.1f}, new Shape(4, 1));
      DormandPrince solver = new DormandPrince(OdeOptions.of(1e-5, 1e-5));
      float[] together = solver.solve(f, batch, 0, 2, OdeListener.NONE).y().toFloatArray();
      for (int r = 0; r < 4; r++) {
        NDArray alone = batch.get(r + ":" + (r + 1));
        float[] single = solver.solve(f, alone, 0, 2, OdeListener.NONE).y().toFloatArray();
        assertArrayEquals(new float[] {together[r]}, single, 0f);
      }
    }
  }

  /**
   * A slow, smooth right-hand side makes the initial-step heuristic ask for a step far longer than the
   * interval; f is undefined (NaN) beyond t1 = 1, so the solver must never evaluate it there.
   */
  @Test
  void initialStepStaysInsideTheInterval() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray y0 = m.create(new float[] {2, -1}, new Shape(2, 1));
      OdeFunction f = (t, y) -> Times.perRow(y, t, s -> s > 1 + 1e-6 ? Double.NaN : 1e-3).mul(y.onesLike());
      float[] out = new DormandPrince(OdeOptions.of(1e-5, 1e-5)).solve(f, y0, 0, 1, OdeListener.NONE).y().toFloatArray();
      assertEquals(2.001f, out[0], 1e-5);
      assertEquals(-0.999f, out[1], 1e-5);
    }
  }

  @Test
  void aNonFiniteRightHandSideFailsInsteadOfLooping() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray y0 = m.create(new float[] {1}, new Shape(1, 1));
      OdeFunction f = (t, y) -> Times.perRow(y, t, s -> s > 0.5 ? Double.NaN : 1).mul(y.onesLike());
      DormandPrince solver = new DormandPrince(OdeOptions.of(1e-5, 1e-5));
      org.junit.jupiter.api.Assertions.assertThrows(NotFiniteException.class,
          () -> solver.solve(f, y0, 0, 1, OdeListener.NONE));
    }
  }
}
