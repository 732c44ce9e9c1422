package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.nn.reference.ReferenceConfig.Progressive;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import java.util.SplittableRandom;

/** Small specs that exercise every option, for fast tests. */
final class Tiny {
  private Tiny() {}

  /** DDPM++-style: positional embedding, plain resampling, no pyramids; hand-counted 47,985 parameters. */
  static NetworkSpec ddpmpp() {
    return NetworkSpec.ddpmpp().channels(1).imageSize(8).nf(8).chMult(1, 2).numResBlocks(1).attnResolutions(4).build();
  }

  /** NCSN++-style with FIR, output_skip and input_skip pyramids, Fourier embedding and 2 classes. */
  static NetworkSpec ncsnppSkip() {
    return NetworkSpec.ncsnpp().channels(2).imageSize(8).nf(8).chMult(1, 2).numResBlocks(1).attnResolutions(4)
        .progressive(Progressive.OUTPUT_SKIP).progressiveInput(ProgressiveInput.INPUT_SKIP).numClasses(2).build();
  }

  /** Residual pyramids on both sides, FIR, three resolutions, attention at two of them. */
  static NetworkSpec ncsnppResidual() {
    return NetworkSpec.ncsnpp().channels(1).imageSize(8).nf(8).chMult(1, 1, 2).attnResolutions(8, 2).skipRescale(false)
        .progressive(Progressive.RESIDUAL).build();
  }

  /** Plain-resampling residual pyramids (the non-FIR conv resampling paths). */
  static NetworkSpec ddpmppResidualPlain() {
    return NetworkSpec.ddpmpp().channels(1).imageSize(8).nf(8).chMult(1, 2).numResBlocks(1)
        .progressive(Progressive.RESIDUAL).progressiveInput(ProgressiveInput.RESIDUAL).numClasses(3).build();
  }

  static NetworkSpec classifier() {
    return NetworkSpec.classifier().channels(1).imageSize(8).nf(8).chMult(1, 2).numResBlocks(1).attnResolutions(4)
        .fir(true).embedding(EmbeddingType.FOURIER).numClasses(3).build();
  }

  static NetworkSpec mlp() {
    return NetworkSpec.mlp().channels(3).nf(16).numClasses(2).build();
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
