package dev.scoresde.sampling;

import java.util.Arrays;

/**
 * A decreasing grid of times t_0 = T > t_1 > … > t_n = ε on which a fixed-step sampler evaluates.
 * The paper's samplers use {@link #uniform}: N points from T to ε.
 */
public record TimeGrid(double[] times) {

  public TimeGrid {
    if (times.length < 2) {
      throw new IllegalArgumentException("a time grid needs at least 2 points");
    }
    for (int i = 1; i < times.length; i++) {
      if (!(times[i] < times[i - 1])) {
        throw new IllegalArgumentException("time grid must be strictly decreasing at index " + i);
      }
    }
    times = times.clone();
  }

  /** n points evenly spaced from t0 down to t1 inclusive (the reference's linspace(T, ε, N)). */
  public static TimeGrid uniform(double t0, double t1, int n) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = t0 + (t1 - t0) * i / (n - 1);
    }
    t[n - 1] = t1;
    return new TimeGrid(t);
  }

  public int size() {
    return times.length;
  }

  public double get(int i) {
    return times[i];
  }

  @Override
  public double[] times() {
    return times.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeGrid g && Arrays.equals(times, g.times);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(times);
  }

  @Override
  public String toString() {
    return "TimeGrid" + Arrays.toString(times);
  }
}
