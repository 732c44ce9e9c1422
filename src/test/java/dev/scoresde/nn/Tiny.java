package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import java.util.SplittableRandom;

/** Small specs that exercise every option, for fast tests. */
final class Tiny {
  private Tiny() {}

  /** DDPM++-style: positional embedding, plain resampling, no pyramids; hand-counted 47,985 parameters. */
  static NetworkSpec ddpmpp() {
    return new NetworkSpec("ddpmpp", 1, 8, 8, List.of(1, 2), 1, List.of(4), 0.0, false, true, "none", "none",
        "positional", 16, 0);
  }

  /** NCSN++-style with FIR, output_skip and input_skip pyramids, Fourier embedding and 2 classes. */
  static NetworkSpec ncsnppSkip() {
    return new NetworkSpec("ncsnpp", 2, 8, 8, List.of(1, 2), 1, List.of(4), 0.0, true, true, "output_skip",
        "input_skip", "fourier", 16, 2);
  }

  /** Residual pyramids on both sides, FIR, three resolutions, attention at two of them. */
  static NetworkSpec ncsnppResidual() {
    return new NetworkSpec("ncsnpp", 1, 8, 8, List.of(1, 1, 2), 2, List.of(8, 2), 0.0, true, false, "residual",
        "residual", "fourier", 16, 0);
  }

  /** Plain-resampling residual pyramids (the non-FIR conv resampling paths). */
  static NetworkSpec ddpmppResidualPlain() {
    return new NetworkSpec("ddpmpp", 1, 8, 8, List.of(1, 2), 1, List.of(), 0.0, false, true, "residual",
        "residual", "positional", 16, 3);
  }

  static NetworkSpec classifier() {
    return new NetworkSpec("classifier", 1, 8, 8, List.of(1, 2), 1, List.of(4), 0.0, true, true, "none", "none",
        "fourier", 16, 3);
  }

  static NetworkSpec mlp() {
    return new NetworkSpec("mlp", 3, 0, 16, List.of(), 2, List.of(), 0.0, false, false, "none", "none",
        "positional", 16, 2);
  }

  /** Overwrites every parameter with N(0, 0.2²) noise so no layer is zero (zero-init layers block gradients). */
  static void perturb(Block block, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray a = p.getValue().getArray();
      float[] v = new float[Math.toIntExact(a.size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (rng.nextGaussian() * 0.2);
      }
      a.set(v);
    }
  }

  static Block initialized(NetworkSpec spec, NDManager m, long seed) {
    Block net = Networks.create(spec);
    Networks.initialize(net, spec, m, seed);
    return net;
  }
}
