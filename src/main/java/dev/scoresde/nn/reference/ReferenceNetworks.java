package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Builds the reference network a {@link ReferenceConfig} names. */
public final class ReferenceNetworks {
  private ReferenceNetworks() {}

  /** An uninitialised network; see {@link ReferenceNetwork} for its input and output. */
  public static ReferenceNetwork create(ReferenceConfig config) {
    config.validate();
    return switch (config.model().name()) {
      case NCSNPP -> new NcsnPlusPlus(config);
      case DDPM -> new Ddpm(config);
      case NCSN, NCSNV2_64, NCSNV2_128, NCSNV2_256 -> new Ncsn(config);
    };
  }

  /** Gives every parameter its shape (zeros); imported weights then overwrite them. */
  public static void initialize(ReferenceNetwork network, NDManager manager, long batch) {
    ReferenceConfig.Data d = network.config().data();
    network.initialize(manager, DataType.FLOAT32,
        new Shape(batch, d.numChannels(), d.imageSize(), d.imageSize()), new Shape(batch));
  }
}
