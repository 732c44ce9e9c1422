package dev.scoresde.sampling.settings;

import java.util.function.Supplier;

/** Checks of named fields whose failures name the field ({@link InvalidFieldException}). */
public final class FieldCheck {
  private FieldCheck() {}

  /** {@code value} (or {@code fallback} when null) in [min, max]. */
  public static int range(String name, Integer value, int fallback, int min, int max) {
    int v = value == null ? fallback : value;
    if (v < min || v > max) {
      throw new InvalidFieldException(name, name + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  /** A finite value in (min, max] (open below) or [min, max] when {@code closedBelow}. */
  public static double range(String name, Double value, double fallback, double min, double max, boolean closedBelow) {
    double v = value == null ? fallback : value;
    if (!Double.isFinite(v)) {
      throw new InvalidFieldException(name, name + " must be a finite number, got " + v);
    }
    boolean ok = (closedBelow ? v >= min : v > min) && v <= max;
    if (!ok) {
      throw new InvalidFieldException(name, name + " must be in " + (closedBelow ? "[" : "(") + min + ", " + max
          + "], got " + v);
    }
    return v;
  }

  public static <T> T present(String name, T value) {
    if (value == null) {
      throw new InvalidFieldException(name, name + " is required");
    }
    return value;
  }

  /** {@code parse}'s value; its IllegalArgumentException becomes this field's mistake, with the same message. */
  public static <T> T named(String name, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidFieldException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(name, e.getMessage());
    }
  }
}
