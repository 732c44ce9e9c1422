package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The embedding's features follow the reference formulas: with both dense layers set to identities (zero
 * bias), the output's first entries are SiLU(features).
 */
class TimeEmbeddingTest {

  @Test
  void positionalFeaturesAreSinCosOfCondTimesGeometricFrequencies() {
    float[] cond = {0f, 1f, 500f, 999f};
    int nf = 8;
    float[][] expected = new float[cond.length][nf];
    for (int r = 0; r < cond.length; r++) {
      for (int i = 0; i < nf / 2; i++) {
        double arg = cond[r] * Math.exp(-Math.log(10000) * i / (nf / 2 - 1));
        expected[r][i] = (float) Math.sin(arg);
        expected[r][i + nf / 2] = (float) Math.cos(arg);
      }
    }
    check(EmbeddingType.POSITIONAL, nf, cond, expected, w -> null, 1e-5f);
  }

  @Test
  void fourierFeaturesAreSinCosOfTwoPiWLogSigma() {
    float[] sigma = {0.01f, 1f, 50f};
    int nf = 6;
    float[][] expected = new float[sigma.length][2 * nf];
    check(EmbeddingType.FOURIER, nf, sigma, expected, w -> {
      for (int r = 0; r < sigma.length; r++) {
        for (int i = 0; i < nf; i++) {
          double arg = 2 * Math.PI * w[i] * Math.log(sigma[r]);
          expected[r][i] = (float) Math.sin(arg);
          expected[r][i + nf] = (float) Math.cos(arg);
        }
      }
      return null;
    }, 1e-4f); // float32 arguments 2πW·log σ reach ~10²
  }

  /** Sets dense0 to an identity block and dense1 to pass SiLU(features) through, then compares. */
  private static void check(EmbeddingType kind, int nf, float[] cond, float[][] expected, UnaryOperator<float[]> fillFromW,
      float tolerance) {
    try (NDManager m = NDManager.newBaseManager()) {
      TimeEmbedding emb = new TimeEmbedding(kind, nf, 16, 0);
      Networks.initialize(emb, m, 0, new Shape(cond.length));
      int features = expected[0].length;
      int dim = 4 * nf;
      for (var p : emb.getParameters()) {
        Parameter param = p.getValue();
        if (p.getKey().endsWith("fourier")) {
          fillFromW.apply(param.getArray().toFloatArray());
        } else if (p.getKey().endsWith("weight")) {
          float[] eye = new float[dim * (p.getKey().contains("dense0") ? features : dim)];
          int cols = p.getKey().contains("dense0") ? features : dim;
          for (int i = 0; i < Math.min(dim, cols); i++) {
            eye[i * cols + i] = 1;
          }
          param.getArray().set(eye);
        }
      }
      NDArray out = emb.forward(new ParameterStore(m, false), m.create(cond), null, false);
      float[] got = out.toFloatArray();
      for (int r = 0; r < cond.length; r++) {
        float[] want = new float[features];
        float[] have = new float[features];
        for (int i = 0; i < features; i++) {
          double f = expected[r][i];
          want[i] = (float) (f / (1 + Math.exp(-f))); // dense1(SiLU(dense0(features))) with identities
          have[i] = got[r * dim + i];
        }
        assertArrayEquals(want, have, tolerance);
      }
    }
  }
}
