package dev.scoresde.names;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The names of closed sets (SDEs, losses, samplers, predictors, correctors, time grids, paths), spelled leniently. */
public final class Names {
  private Names() {}

  /** A member of a closed set (an enum constant), named by the API. */
  public interface Named {
    /** The enum constant's name. */
    String name();

    /**
     * Its API name first, then the other spellings it accepts; by default the constant's name in lower case
     * with '-' for '_' (ANNEALED_LANGEVIN: annealed-langevin).
     */
    default List<String> names() {
      return List.of(name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    default String id() {
      return names().get(0);
    }
  }

  /** Case-insensitive, '_' and ' ' read as '-'. */
  public static String normalize(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name must be given");
    }
    return name.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
  }

  /** The member of {@code values} called {@code name}; else an IllegalArgumentException listing the names. */
  public static <E extends Named> E parse(String what, String name, E[] values) {
    if (name == null) {
      throw new IllegalArgumentException(what + " must be given");
    }
    String n = normalize(name);
    for (E e : values) {
      if (e.names().contains(n)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + name + "' (expected one of " + ids(values) + ")");
  }

  /** The API names, in declaration order. */
  public static List<String> ids(Named[] values) {
    return Arrays.stream(values).map(Named::id).toList();
  }
}
