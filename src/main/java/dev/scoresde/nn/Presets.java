package dev.scoresde.nn;

import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named network specs. The "-paper" specs are the CIFAR-10 configurations of Song et al. 2021 as in the
 * reference code's configs: nf 128, chMult (1,2,2,2), 4 residual blocks, attention at 16, dropout 0.1,
 * skip rescaling, BigGAN blocks; DDPM++ with positional embedding and plain resampling; NCSN++ with FIR,
 * Fourier embedding and a residual input pyramid. The "-small" specs are sized to train on 2 CPU cores
 * (NetworkBench measures them).
 */
public final class Presets {
  private static final Map<String, NetworkSpec> SPECS = new LinkedHashMap<>();

  static {
    // 32×32 (Fashion-MNIST is padded to 32×32), 1 channel, 10 classes + "no label". Channels 32, 32, 64 at
    // 32², 16², 8², attention at 8², no dropout (a small model underfits; also keeps training bit-reproducible,
    // since dropout draws from the engine RNG). Measured with NetworkBench; see its javadoc.
    put("ddpmpp-small", NetworkSpec.ddpmpp().channels(1).imageSize(32).nf(32).chMult(1, 1, 2).numResBlocks(1)
        .attnResolutions(8).numClasses(10));
    put("ncsnpp-small", NetworkSpec.ncsnpp().channels(1).imageSize(32).nf(32).chMult(1, 1, 2).numResBlocks(1)
        .attnResolutions(8).numClasses(10));
    // Fashion-MNIST at its own 28×28 (no padding): 28², 14², 7² levels. The "-fmnist" presets put few channels
    // at full resolution, where GroupNorm/SiLU/adds dominate CPU time, and more at 14² and 7².
    put("ddpmpp-fmnist", NetworkSpec.ddpmpp().channels(1).imageSize(28).nf(16).chMult(1, 2, 4).numResBlocks(1)
        .attnResolutions(7).numClasses(10));
    put("ddpmpp-fmnist-wide", NetworkSpec.ddpmpp().channels(1).imageSize(28).nf(32).chMult(1, 2, 2).numResBlocks(1)
        .attnResolutions(7).numClasses(10));
    put("ncsnpp-fmnist", NetworkSpec.ncsnpp().channels(1).imageSize(28).nf(16).chMult(1, 2, 4).numResBlocks(1)
        .attnResolutions(7).numClasses(10));
    // Fourier features of log(cond) suit either conditioning (σ for VE, 999t for VP); cond must be > 0.
    put("classifier-fmnist", NetworkSpec.classifier().channels(1).imageSize(28).nf(16).chMult(1, 2, 4)
        .numResBlocks(1).attnResolutions(7).embedding(EmbeddingType.FOURIER).numClasses(10));
    put("ddpmpp-rgb-small", NetworkSpec.ddpmpp().channels(3).imageSize(32).nf(32).chMult(1, 1, 2).numResBlocks(1)
        .attnResolutions(8));
    put("classifier-small", NetworkSpec.classifier().channels(1).imageSize(32).nf(32).chMult(1, 1, 2)
        .numResBlocks(1).attnResolutions(8).embedding(EmbeddingType.FOURIER).numClasses(10));
    put("mlp-small", NetworkSpec.mlp().channels(2).nf(128).numResBlocks(3));
    // The reference configs (vp/cifar10_ddpmpp_continuous, ve/cifar10_ncsnpp_continuous).
    put("ddpmpp-paper", cifar10(NetworkSpec.ddpmpp()));
    put("ncsnpp-paper", cifar10(NetworkSpec.ncsnpp()));
  }

  /** The CIFAR-10 sizes of the paper's configs: nf 128, chMult (1,2,2,2), 4 blocks, attention at 16², dropout 0.1. */
  private static NetworkSpec.Builder cifar10(NetworkSpec.Builder network) {
    return network.channels(3).imageSize(32).nf(128).chMult(1, 2, 2, 2).numResBlocks(4).attnResolutions(16)
        .dropout(0.1);
  }

  private Presets() {}

  private static void put(String name, NetworkSpec.Builder spec) {
    SPECS.put(name, spec.build());
  }

  /** The spec named {@code name}; IllegalArgumentException listing the names if there is none. */
  public static NetworkSpec get(String name) {
    NetworkSpec spec = SPECS.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("unknown network preset '" + name + "', known: " + SPECS.keySet());
    }
    return spec;
  }

  public static Set<String> names() {
    return java.util.Collections.unmodifiableSet(SPECS.keySet());
  }
}
