package dev.scoresde.sde;

import dev.scoresde.names.Names;
import java.util.List;

/** The SDE families of the paper, by the names the API and checkpoints use: ve, vp and subvp. */
public enum SdeKind implements Names.Named {
  VE,
  VP,
  SUBVP;

  /** sub-VP is also spelled with its hyphen. */
  @Override
  public List<String> names() {
    return this == SUBVP ? List.of("subvp", "sub-vp") : Names.Named.super.names();
  }

  public static SdeKind parse(String name) {
    return Names.parse("SDE", name, values());
  }
}
