package dev.scoresde.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Networks;

/**
 * Builds networks from their specs: the seam to the {@code nn} package ({@code Networks.create} and
 * {@code Networks.initialize}). Training and checkpoint loading only ever build networks through it.
 */
public interface NetworkFactory {

  /** The nn package's networks: {@code Networks.create} and {@code Networks.initialize}. */
  NetworkFactory NETWORKS = new NetworkFactory() {
    @Override
    public Block create(NetworkSpec spec) {
      return Networks.create(spec);
    }

    @Override
    public void initialize(Block block, NetworkSpec spec, NDManager manager, long seed) {
      Networks.initialize(block, spec, manager, seed);
    }
  };

  /** An uninitialized block following the {@link NetworkSpec} contract. */
  Block create(NetworkSpec spec);

  /** Initializes the block's parameters in {@code manager}, reproducibly from {@code seed}. */
  void initialize(Block block, NetworkSpec spec, NDManager manager, long seed);
}
