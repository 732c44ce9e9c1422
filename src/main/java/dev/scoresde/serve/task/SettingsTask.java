package dev.scoresde.serve.task;

import dev.scoresde.sampling.settings.SamplerSettings;

/** A task that draws {@code n} rows with one sampler's settings: its rows and sampler name follow from them. */
interface SettingsTask extends Task {

  int n();

  SamplerSettings settings();

  @Override
  default int rows() {
    return n();
  }

  @Override
  default String sampler() {
    return settings().kind().id();
  }
}
