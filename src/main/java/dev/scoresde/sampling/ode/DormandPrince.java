package dev.scoresde.sampling.ode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Scalars;
import java.util.Arrays;

/**
 * The adaptive Dormand–Prince RK5(4) solver (Dormand &amp; Prince 1980; the "RK45" of scipy that the paper
 * uses for the probability-flow ODE) on NDArrays, with <b>per-row</b> step-size control: every batch row
 * has its own time and step, so a row's result does not depend on what else shares its batch. Error
 * control as in scipy: RMS over the row of err/(atol + rtol·max(|y|, |y_new|)), accept when ≤ 1.
 */
public final class DormandPrince {
  private static final double[] C = {0, 1 / 5d, 3 / 10d, 4 / 5d, 8 / 9d, 1};
  private static final double[][] A = {
    {},
    {1 / 5d},
    {3 / 40d, 9 / 40d},
    {44 / 45d, -56 / 15d, 32 / 9d},
    {19372 / 6561d, -25360 / 2187d, 64448 / 6561d, -212 / 729d},
    {9017 / 3168d, -355 / 33d, 46732 / 5247d, 49 / 176d, -5103 / 18656d},
    {35 / 384d, 0, 500 / 1113d, 125 / 192d, -2187 / 6784d, 11 / 84d}
  };
  /** b − b̂: the 5th-order weights minus the embedded 4th-order ones (7 stages, FSAL). */
  private static final double[] E = {
    71 / 57600d, 0, -71 / 16695d, 71 / 1920d, -17253 / 339200d, 22 / 525d, -1 / 40d
  };
  private static final double SAFETY = 0.9;
  private static final double MIN_FACTOR = 0.2;
  private static final double MAX_FACTOR = 10;

  private final OdeOptions options;

  public DormandPrince(OdeOptions options) {
    this.options = options;
  }

  /**
   * Integrates dy/dt = f(t, y) from t0 to t1 (either direction) for every row.
   *
   * @param f the right-hand side; gets t (batch) and y (batch, ...), returns (batch, ...)
   * @param y0 the start, (batch, ...); not closed
   * @param listener per accepted iteration; may throw CancellationException
   */
  public OdeSolution solve(OdeFunction f, NDArray y0, double t0, double t1, OdeListener listener) {
    NDManager owner = y0.getManager();
    int rows = Math.toIntExact(y0.getShape().get(0));
    double dir = Math.signum(t1 - t0);
    double[] t = new double[rows];
    Arrays.fill(t, t0);
    int[] nfe = {0};
    OdeFunction counted = (tt, yy) -> {
      nfe[0]++;
      return f.apply(tt, yy);
    };
    NDArray y = y0.duplicate();
    NDArray f0;
    try (NDArray start = Times.filled(y, t0)) {
      f0 = counted.apply(start, y);
    }
    double[] h = options.firstStep() > 0 ? filled(rows, options.firstStep()) : initialStep(counted, y, f0, t0, t1, dir);
    boolean[] rejectedBefore = new boolean[rows];
    int accepted = 0;
    int rejected = 0;
    int iterations = 0;
    while (!allDone(t, t1, dir)) {
      if (++iterations > options.maxSteps()) {
        throw new IllegalStateException("ODE solver exceeded " + options.maxSteps() + " steps");
      }
      double[] step = new double[rows];
      for (int r = 0; r < rows; r++) {
        double remaining = Math.abs(t1 - t[r]);
        step[r] = remaining <= 0 ? 0 : dir * Math.min(h[r], remaining);
      }
      Trial trial = attempt(counted, owner, y, f0, t, step);
      double[] norm = trial.errorNorm;
      boolean[] accept = new boolean[rows];
      for (int r = 0; r < rows; r++) {
        if (step[r] == 0) {
          continue;
        }
        if (Double.isNaN(norm[r])) {
          throw new NotFiniteException("the probability-flow ODE is not finite near t=" + t[r] + " (row " + r + ")");
        }
        if (norm[r] <= 1) {
          accept[r] = true;
          accepted++;
          double factor = norm[r] == 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * Math.pow(norm[r], -0.2));
          if (rejectedBefore[r]) {
            factor = Math.min(1, factor);
          }
          t[r] = Math.abs(t1 - (t[r] + step[r])) < 1e-12 * Math.max(1, Math.abs(t1)) ? t1 : t[r] + step[r];
          h[r] = Math.abs(step[r]) * factor;
          rejectedBefore[r] = false;
        } else {
          rejected++;
          h[r] = Math.abs(step[r]) * Math.max(MIN_FACTOR, SAFETY * Math.pow(norm[r], -0.2));
          rejectedBefore[r] = true;
          if (h[r] < 1e-12) {
            throw new IllegalStateException("ODE step size underflow at t=" + t[r]);
          }
        }
      }
      NDArray yNext;
      NDArray fNext;
      // the mask and both of its views are closed here (the views alone would leave the mask in owner)
      try (NDArray mask = owner.create(accept);
          NDArray rowMask = mask.reshape(Times.rowShape(y));
          NDArray keep = rowMask.broadcast(y.getShape())) {
        yNext = NDArrays.where(keep, trial.y, y);
        fNext = NDArrays.where(keep, trial.f, f0);
      }
      trial.y.close();
      trial.f.close();
      y.close();
      f0.close();
      y = yNext;
      f0 = fNext;
      listener.onIteration(accepted, nfe[0], leastAdvanced(t, dir));
    }
    f0.close();
    return new OdeSolution(y, nfe[0], accepted, rejected);
  }

  private record Trial(NDArray y, NDArray f, double[] errorNorm) {}

  /** One Dormand–Prince step of size step[r] for each row; intermediates freed, y and f kept in owner. */
  private Trial attempt(OdeFunction f, NDManager owner, NDArray y, NDArray f0, double[] t, double[] step) {
    try (NDManager scope = owner.newSubManager()) {
      y.tempAttach(scope);
      f0.tempAttach(scope);
      NDArray hRow = scope.create(toFloat(step)).reshape(Times.rowShape(y));
      NDArray[] k = new NDArray[7];
      k[0] = f0;
      for (int s = 1; s < 7; s++) {
        NDArray acc = Scalars.mul(k[0], A[s][0]);
        for (int j = 1; j < s; j++) {
          if (A[s][j] != 0) {
            acc = acc.add(Scalars.mul(k[j], A[s][j]));
          }
        }
        NDArray ys = y.add(acc.mul(hRow));
        if (s == 6) {
          // The 7th stage is evaluated at the 5th-order solution itself (FSAL).
          k[6] = f.apply(times(scope, t, step, 1.0), ys);
          NDArray err = Scalars.mul(k[0], E[0]);
          for (int j = 2; j < 7; j++) {
            err = err.add(Scalars.mul(k[j], E[j]));
          }
          err = err.mul(hRow);
          NDArray scale = Scalars.add(Scalars.mul(y.abs().maximum(ys.abs()), options.rtol()), options.atol());
          long rows = y.getShape().get(0);
          double[] norm = toDouble(err.div(scale).square().reshape(rows, -1).mean(new int[] {1}).sqrt());
          ys.attach(owner);
          k[6].attach(owner);
          return new Trial(ys, k[6], norm);
        }
        k[s] = f.apply(times(scope, t, step, C[s]), ys);
      }
      throw new AssertionError("unreachable");
    }
  }

  /**
   * Scipy's initial step heuristic (Hairer, Nørsett &amp; Wanner, II.4), per row; costs one evaluation. As in
   * scipy, the trial step is clamped to the interval, so f is never evaluated beyond t1 (where it may not
   * be defined, e.g. σ(t) of the VE SDE overflows).
   */
  private double[] initialStep(OdeFunction f, NDArray y, NDArray f0, double t0, double t1, double dir) {
    double interval = Math.abs(t1 - t0);
    NDManager owner = y.getManager();
    int rows = Math.toIntExact(y.getShape().get(0));
    try (NDManager scope = owner.newSubManager()) {
      y.tempAttach(scope);
      f0.tempAttach(scope);
      NDArray scale = Scalars.add(Scalars.mul(y.abs(), options.rtol()), options.atol());
      double[] d0 = rms(y.div(scale));
      double[] d1 = rms(f0.div(scale));
      double[] h0 = new double[rows];
      for (int r = 0; r < rows; r++) {
        h0[r] = Math.min(interval, (d0[r] < 1e-5 || d1[r] < 1e-5) ? 1e-6 : 0.01 * d0[r] / d1[r]);
      }
      double[] signed = new double[rows];
      for (int r = 0; r < rows; r++) {
        signed[r] = dir * h0[r];
      }
      NDArray hRow = scope.create(toFloat(signed)).reshape(Times.rowShape(y));
      NDArray y1 = y.add(f0.mul(hRow));
      NDArray f1 = f.apply(times(scope, filled(rows, t0), signed, 1.0), y1);
      double[] d2 = rms(f1.sub(f0).div(scale));
      double[] h = new double[rows];
      for (int r = 0; r < rows; r++) {
        double dd = d2[r] / h0[r];
        double h1 = (d1[r] <= 1e-15 && dd <= 1e-15) ? Math.max(1e-6, h0[r] * 1e-3)
            : Math.pow(0.01 / Math.max(d1[r], dd), 0.2);
        h[r] = Math.min(interval, Math.min(100 * h0[r], h1));
      }
      return h;
    }
  }

  private static double[] rms(NDArray a) {
    long rows = a.getShape().get(0);
    return toDouble(a.square().reshape(rows, -1).mean(new int[] {1}).sqrt());
  }

  private static NDArray times(NDManager m, double[] t, double[] step, double c) {
    float[] v = new float[t.length];
    for (int r = 0; r < t.length; r++) {
      v[r] = (float) (t[r] + c * step[r]);
    }
    return m.create(v);
  }

  private static boolean allDone(double[] t, double t1, double dir) {
    for (double v : t) {
      if (dir * (t1 - v) > 0) {
        return false;
      }
    }
    return true;
  }

  private static double leastAdvanced(double[] t, double dir) {
    double w = t[0];
    for (double v : t) {
      w = dir > 0 ? Math.min(w, v) : Math.max(w, v);
    }
    return w;
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double[] toDouble(NDArray a) {
    NDArray d = a.toType(DataType.FLOAT64, false);
    double[] out = d.toDoubleArray();
    d.close();
    return out;
  }
}
