package dev.scoresde.sampling.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.Mixtures;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.State;
import dev.scoresde.sampling.StateConstraint;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Sampler} contract for every fast solver: the exact NFE it reports (counted independently),
 * per-step progress ending at ε with that NFE, the constraint applied to the start at T and after every
 * step at the step's end time (with UniPC also after each correction) and visible in the output, and the time
 * grid it walks.
 */
class FastSolverContractTest {
  private static final int STEPS = 6;
  private static final double EPS = 1e-3;

  /** (name, solver, SDE, score evaluations per step). */
  static Stream<Arguments> solvers() {
    Sde vp = VpSde.paper();
    Sde sub = SubVpSde.paper();
    return Stream.of(
        Arguments.of("dpm-solver++2m", new DpmSolverPlusPlus(2, false, STEPS, TimeGridKind.LOG_SNR, EPS, Denoising.NONE), vp, 1),
        Arguments.of("dpm-solver++3m", new DpmSolverPlusPlus(3, false, STEPS, TimeGridKind.UNIFORM, EPS, Denoising.TWEEDIE), sub, 1),
        Arguments.of("unipc", DpmSolverPlusPlus.uniPc(2, STEPS, TimeGridKind.LOG_SNR, EPS, Denoising.NONE), vp, 1),
        Arguments.of("unipc-3m", DpmSolverPlusPlus.uniPc(3, STEPS, TimeGridKind.UNIFORM, EPS, Denoising.TWEEDIE), sub, 1),
        Arguments.of("sde-dpm-solver++2m", new DpmSolverPlusPlus(2, true, STEPS, TimeGridKind.LOG_SNR, EPS, Denoising.MEAN), vp, 1),
        Arguments.of("heun", new Heun(STEPS, TimeGridKind.KARRAS, EPS, Denoising.TWEEDIE, 0), vp, 2),
        Arguments.of("heun churn", new Heun(STEPS, TimeGridKind.KARRAS, EPS, Denoising.NONE, 30), sub, 2),
        Arguments.of("ddim", new Ddim(STEPS, TimeGridKind.QUADRATIC, EPS, Denoising.NONE, 0), vp, 1),
        Arguments.of("ddim eta", new Ddim(STEPS, TimeGridKind.LOG_SNR, EPS, Denoising.TWEEDIE, 0.5), sub, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("solvers")
  void reportsItsExactNfeProgressAndAppliesTheConstraintAfterEveryStep(String name, Sampler solver, Sde sde,
      int perStep) {
    try (NDManager m = NDManager.newBaseManager()) {
      GaussianMixtureScore exact = new GaussianMixtureScore(Mixtures.plane(), sde);
      int[] calls = {0};
      ScoreModel counted = (x, t) -> {
        calls[0]++;
        return exact.score(x, t);
      };
      List<Double> constrainedAt = new ArrayList<>();
      StateConstraint pin = (state, t, s, rng) -> {
        constrainedAt.add((double) t.toFloatArray()[0]);
        NDArray mask = state.x().getManager().create(new float[] {1, 0}, new Shape(1, 2));
        return State.of(state.x().mul(mask.neg().add(1)).add(mask.mul(0.25f)));
      };
      List<SamplingListener.Progress> progress = new ArrayList<>();
      NDArray xT = Oracle.prior(m, sde, 8, 2, 3);
      SampleResult r = solver.sample(counted, sde, xT,
          SamplingContext.of(Rng.of(4, 8)).withConstraint(pin).withListener(progress::add));
      Denoising denoising = denoising(solver);
      int expected = perStep * STEPS + (denoising == Denoising.NONE ? 0 : 1);
      assertEquals(expected, r.nfe(), "reported NFE");
      assertEquals(expected, calls[0], "score evaluations");
      TimeGrid grid = grid(solver).grid(sde, EPS, STEPS + 1);
      // at T, after every step at its end, and (UniPC) after every correction of a step's end but the last
      boolean corrected = solver instanceof DpmSolverPlusPlus d && d.corrected();
      List<Double> expectedAt = new ArrayList<>(List.of(grid.get(0)));
      for (int i = 1; i <= STEPS; i++) {
        expectedAt.add(grid.get(i));
        if (corrected && i < STEPS) {
          expectedAt.add(grid.get(i));
        }
      }
      assertEquals(expectedAt.size(), constrainedAt.size());
      for (int i = 0; i < expectedAt.size(); i++) {
        assertEquals(expectedAt.get(i), constrainedAt.get(i), 1e-6, "constraint " + i);
      }
      assertEquals(STEPS, progress.size());
      for (int i = 0; i < STEPS; i++) {
        assertEquals(i + 1, progress.get(i).step());
        assertEquals(STEPS, progress.get(i).totalSteps());
        assertEquals(grid.get(i + 1), progress.get(i).t(), 1e-12);
      }
      assertEquals(perStep * STEPS, progress.get(STEPS - 1).nfe());
      if (denoising == Denoising.NONE) {
        float[] out = r.samples().toFloatArray();
        for (int row = 0; row < 8; row++) {
          assertEquals(0.25f, out[2 * row], 0f);
        }
      }
      assertTrue(!xT.isReleased() && r.samples() != xT, "the start state belongs to the caller");
    }
  }

  private static Denoising denoising(Sampler s) {
    return s instanceof DpmSolverPlusPlus d ? d.denoising() : s instanceof Heun h ? h.denoising()
        : ((Ddim) s).denoising();
  }

  private static TimeGridKind grid(Sampler s) {
    return s instanceof DpmSolverPlusPlus d ? d.grid() : s instanceof Heun h ? h.grid() : ((Ddim) s).grid();
  }
}
