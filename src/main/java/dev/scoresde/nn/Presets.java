package dev.scoresde.nn;

import java.util.LinkedHashMap;
import java.util.List;
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
    put("ddpmpp-small", new NetworkSpec("ddpmpp", 1, 32, 32, List.of(1, 1, 2), 1, List.of(8), 0.0, false, true,
        "none", "none", "positional", 16, 10));
    put("ncsnpp-small", new NetworkSpec("ncsnpp", 1, 32, 32, List.of(1, 1, 2), 1, List.of(8), 0.0, true, true,
        "none", "residual", "fourier", 16, 10));
    // Fashion-MNIST at its own 28×28 (no padding): 28², 14², 7² levels. The "-fmnist" presets put few channels
    // at full resolution, where GroupNorm/SiLU/adds dominate CPU time, and more at 14² and 7².
    put("ddpmpp-fmnist", new NetworkSpec("ddpmpp", 1, 28, 16, List.of(1, 2, 4), 1, List.of(7), 0.0, false, true,
        "none", "none", "positional", 16, 10));
    put("ddpmpp-fmnist-wide", new NetworkSpec("ddpmpp", 1, 28, 32, List.of(1, 2, 2), 1, List.of(7), 0.0, false, true,
        "none", "none", "positional", 16, 10));
    put("ncsnpp-fmnist", new NetworkSpec("ncsnpp", 1, 28, 16, List.of(1, 2, 4), 1, List.of(7), 0.0, true, true,
        "none", "residual", "fourier", 16, 10));
    put("classifier-fmnist", new NetworkSpec("classifier", 1, 28, 16, List.of(1, 2, 4), 1, List.of(7), 0.0, false,
        true, "none", "none", "fourier", 16, 10));
    put("ddpmpp-rgb-small", new NetworkSpec("ddpmpp", 3, 32, 32, List.of(1, 1, 2), 1, List.of(8), 0.0, false, true,
        "none", "none", "positional", 16, 0));
    // Fourier features of log(cond) suit either conditioning (σ for VE, 999t for VP); cond must be > 0.
    put("classifier-small", new NetworkSpec("classifier", 1, 32, 32, List.of(1, 1, 2), 1, List.of(8), 0.0, false,
        true, "none", "none", "fourier", 16, 10));
    put("mlp-small", new NetworkSpec("mlp", 2, 0, 128, List.of(), 3, List.of(), 0.0, false, false,
        "none", "none", "positional", 16, 0));
    // The reference configs (vp/cifar10_ddpmpp_continuous, ve/cifar10_ncsnpp_continuous); NCSN++ there uses
    // progressive = "none" on the output side and "residual" on the input side.
    put("ddpmpp-paper", new NetworkSpec("ddpmpp", 3, 32, 128, List.of(1, 2, 2, 2), 4, List.of(16), 0.1, false, true,
        "none", "none", "positional", 16, 0));
    put("ncsnpp-paper", new NetworkSpec("ncsnpp", 3, 32, 128, List.of(1, 2, 2, 2), 4, List.of(16), 0.1, true, true,
        "none", "residual", "fourier", 16, 0));
  }

  private Presets() {}

  private static void put(String name, NetworkSpec spec) {
    SPECS.put(name, spec);
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
