package dev.scoresde.sampling;

import java.util.Locale;

/** Lenient spelling of API names: case-insensitive, '_' and ' ' read as '-'. */
final class Names {
  private Names() {}

  static String normalize(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name must be given");
    }
    return name.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
  }
}
