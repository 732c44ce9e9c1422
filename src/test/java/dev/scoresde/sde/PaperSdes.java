package dev.scoresde.sde;

import java.util.stream.Stream;

/**
 * The paper's three SDEs with its settings, for tests that hold for every SDE:
 * {@code @MethodSource("dev.scoresde.sde.PaperSdes#all")}.
 */
public final class PaperSdes {
  private PaperSdes() {}

  public static Stream<Sde> all() {
    return Stream.of(VeSde.paper(), VpSde.paper(), SubVpSde.paper());
  }
}
