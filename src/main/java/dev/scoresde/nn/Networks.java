package dev.scoresde.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import dev.scoresde.nn.reference.ReferenceNetwork;
import dev.scoresde.nn.reference.ReferenceNetworks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/** Builds the network a {@link NetworkSpec} describes and initialises it reproducibly from a seed. */
public final class Networks {
  private Networks() {}

  /**
   * An uninitialised DJL block for {@code spec} ("ddpmpp", "ncsnpp", "mlp", "classifier", "feature-cnn" or an
   * imported "reference" network); see
   * NetworkSpec for its input and output. Initialise it with {@link #initialize}.
   */
  public static Block create(NetworkSpec spec) {
    if (spec.hasReference()) {
      return ReferenceNetworks.create(spec.reference());
    }
    validate(spec);
    return switch (spec.architecture()) {
      case DDPMPP, NCSNPP -> new UNet(spec);
      case CLASSIFIER -> new Classifier(spec);
      case MLP -> new ScoreMlp(spec);
      case FEATURE_CNN -> new FeatureCnn(spec);
      case REFERENCE -> throw new IllegalArgumentException("architecture reference needs the reference config");
    };
  }

  /**
   * Sets every parameter of {@code block} (made by {@link #create}) from {@code seed}: each parameter's
   * values come from a java stream seeded by (seed, parameter name), following its {@link Init} rule
   * (variance scaling fan_avg uniform, zeros where the reference zero-initialises, GroupNorm ones/zeros,
   * fixed Fourier weights). Same seed, same values, on any device. Re-initialises an initialised block.
   */
  public static void initialize(Block block, NetworkSpec spec, NDManager manager, long seed) {
    if (block instanceof ReferenceNetwork reference) {
      ReferenceNetworks.initialize(reference, manager, 1); // shapes only: an imported network's values are loaded
      return;
    }
    initialize(block, manager, seed, inputShapes(spec, 1));
  }

  /** {@link #initialize(Block, NetworkSpec, NDManager, long)} for any block of this package. */
  static void initialize(Block block, NDManager manager, long seed, Shape... inputShapes) {
    for (Pair<String, Parameter> named : block.getParameters()) {
      Parameter p = named.getValue();
      if (!(p.getInitializer() instanceof Init rule)) {
        throw new IllegalArgumentException("parameter " + named.getKey() + " was not made by Networks.create");
      }
      float[] values = rule.sample(p.getShape(), new SplittableRandom(mix(seed, named.getKey())));
      p.close(); // drops values from an earlier initialisation
      Initializer fixed = (m, shape, type) -> m.create(values, shape);
      p.setInitializer(fixed);
      try {
        p.initialize(manager, DataType.FLOAT32);
      } finally {
        p.setInitializer(rule);
      }
    }
    block.initialize(manager, DataType.FLOAT32, inputShapes);
  }

  /** The shapes of NDList(x, cond[, labels]) for a batch of {@code batch} rows; NDList(x) for "feature-cnn". */
  public static Shape[] inputShapes(NetworkSpec spec, long batch) {
    Shape x = spec.architecture() == Architecture.MLP
        ? new Shape(batch, spec.channels())
        : new Shape(batch, spec.channels(), spec.imageSize(), spec.imageSize());
    if (spec.architecture() == Architecture.FEATURE_CNN) {
      return new Shape[] {x};
    }
    boolean labels = spec.numClasses() > 0 && spec.architecture() != Architecture.CLASSIFIER;
    return labels ? new Shape[] {x, new Shape(batch), new Shape(batch)} : new Shape[] {x, new Shape(batch)};
  }

  /** Number of float32 values in the block's parameters (fixed Fourier weights included). */
  public static long parameterCount(Block block) {
    return block.getParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
  }

  private static void validate(NetworkSpec spec) {
    if (spec.architecture() == null || spec.embedding() == null || spec.chMult() == null
        || spec.attnResolutions() == null || spec.progressive() == null || spec.progressiveInput() == null) {
      throw new IllegalArgumentException("incomplete network spec " + spec);
    }
    if (spec.channels() < 1 || spec.nf() < 4 || spec.numResBlocks() < 0 || spec.numClasses() < 0
        || spec.dropout() < 0 || spec.dropout() >= 1) {
      throw new IllegalArgumentException("invalid network spec " + spec);
    }
    if (spec.architecture() != Architecture.MLP) {
      List<Integer> mult = spec.chMult();
      int factor = 1 << (mult.size() - 1);
      if (mult.isEmpty() || spec.imageSize() < factor || spec.imageSize() % factor != 0) {
        throw new IllegalArgumentException("imageSize " + spec.imageSize() + " must be divisible by 2^(len(chMult)-1) = "
            + factor);
      }
    }
  }

  /** A SplitMix64-style mix of the seed and the parameter's name. */
  private static long mix(long seed, String name) {
    long z = seed * 0x9E3779B97F4A7C15L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      z = (z ^ b) * 0xBF58476D1CE4E5B9L;
      z ^= z >>> 31;
    }
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
