package dev.scoresde.train.job;

import dev.scoresde.nn.NetworkSpec;

/**
 * Network presets by name (e.g. "ddpmpp-small"): the seam to nn's presets, provided as a bean by the
 * application. Jobs name a preset and override single fields.
 */
@FunctionalInterface
public interface NetworkPresets {

  /** The preset's spec; throws IllegalArgumentException naming the known presets for an unknown name. */
  NetworkSpec preset(String name);
}
