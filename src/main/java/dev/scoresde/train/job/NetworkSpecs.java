package dev.scoresde.train.job;

import static dev.scoresde.train.job.TrainingJobFactory.or;

import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.nn.NetworkSpec;
import java.util.List;
import java.util.function.Function;

/**
 * The network of a job: a named preset with any field overridden, or the fields alone. Channels, image
 * size and class count always come from the data and the objective, never from the preset.
 */
final class NetworkSpecs {
  private NetworkSpecs() {}

  static NetworkSpec resolve(TrainingProperties.Network n, Function<String, NetworkSpec> presets, DataShape shape,
      int numClasses) {
    TrainingProperties.Network o = n != null ? n
        : new TrainingProperties.Network(null, null, null, null, null, null, null, null, null, null, null, null, null);
    NetworkSpec base = null;
    if (o.preset() != null && !o.preset().isBlank()) {
      try {
        base = presets.apply(o.preset());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("unknown preset '" + o.preset() + "': " + e.getMessage());
      }
      if (base == null) {
        throw new IllegalArgumentException("unknown preset '" + o.preset() + "'");
      }
    }
    String architecture = or(o.architecture(), base == null ? null : base.architecture());
    Integer nf = or(o.nf(), base == null ? null : base.nf());
    if (architecture == null || nf == null) {
      throw new IllegalArgumentException("give a preset, or at least architecture and nf");
    }
    if (nf < 1) {
      throw new IllegalArgumentException("nf must be positive, got " + nf);
    }
    boolean mlp = "mlp".equals(architecture);
    if (mlp == shape.isImage()) {
      throw new IllegalArgumentException(mlp ? "the mlp network is for vector data, not images"
          : architecture + " is an image network; vector data needs architecture mlp");
    }
    double dropout = or(o.dropout(), base == null ? 0.0 : base.dropout());
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    return new NetworkSpec(architecture, shape.channels(), shape.size(), nf,
        or(o.chMult(), base == null ? List.of(1, 2, 2) : base.chMult()),
        or(o.numResBlocks(), base == null ? 2 : base.numResBlocks()),
        or(o.attnResolutions(), base == null ? List.<Integer>of() : base.attnResolutions()),
        dropout,
        or(o.fir(), base != null && base.fir()),
        or(o.skipRescale(), base == null || base.skipRescale()),
        or(o.progressive(), base == null ? "none" : base.progressive()),
        or(o.progressiveInput(), base == null ? "none" : base.progressiveInput()),
        or(o.embedding(), base == null ? "positional" : base.embedding()),
        or(o.fourierScale(), base == null ? 16.0 : base.fourierScale()),
        numClasses);
  }
}
