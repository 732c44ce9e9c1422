package dev.scoresde.serve;

/** Parameter checks that name the parameter in their message (→ 400 problem details). */
final class Check {
  private Check() {}

  static int range(String name, Integer value, int fallback, int min, int max) {
    int v = value == null ? fallback : value;
    if (v < min || v > max) {
      throw new InvalidRequestException(name, name + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  /** A finite value in (min, max] (open below) or [min, max] when {@code closedBelow}. */
  static double range(String name, Double value, double fallback, double min, double max, boolean closedBelow) {
    double v = value == null ? fallback : value;
    if (!Double.isFinite(v)) {
      throw new InvalidRequestException(name, name + " must be a finite number, got " + v);
    }
    boolean ok = (closedBelow ? v >= min : v > min) && v <= max;
    if (!ok) {
      throw new InvalidRequestException(name, name + " must be in " + (closedBelow ? "[" : "(") + min + ", " + max
          + "], got " + v);
    }
    return v;
  }

  static <T> T present(String name, T value) {
    if (value == null) {
      throw new InvalidRequestException(name, name + " is required");
    }
    return value;
  }
}
