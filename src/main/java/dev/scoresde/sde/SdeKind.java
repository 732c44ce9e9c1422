package dev.scoresde.sde;

import java.util.Locale;

/** The SDE families of the paper, by the names the API and checkpoints use. */
public enum SdeKind {
  VE("ve"),
  VP("vp"),
  SUBVP("subvp");

  private final String id;

  SdeKind(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static SdeKind parse(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    for (SdeKind k : values()) {
      if (k.id.equals(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown SDE '" + name + "' (expected ve, vp or subvp)");
  }
}
