package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.GcPoison;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;
import dev.scoresde.train.loss.DenoisingScoreMatching;
import dev.scoresde.train.loss.Reduction;
import dev.scoresde.train.loss.TrainableNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Gradients through the networks do not depend on when the garbage collector runs. DJL's NDArray-with-Number
 * operations back their scalar with a direct buffer that a GC frees while the autograd graph still reads it
 * (see tensor.Scalars): with a GC and NaN-poisoned memory between forward and backward, every gradient came
 * out NaN, zero or wrong. Each case runs once undisturbed, then repeatedly with that disturbance, and must
 * reproduce the undisturbed gradient bit for bit. The specs cover the time embeddings (positional and
 * Fourier), 1/√2 skip rescaling, attention, GroupNorm, FIR resampling, both pyramids and class labels.
 */
class GcBetweenForwardAndBackwardTest {
  private static final int REPETITIONS = 6;

  private record Case(NetworkSpec spec, Sde sde) {}

  private static final List<Case> CASES =
      List.of(new Case(Tiny.ncsnppSkip(), VeSde.paper()), new Case(Tiny.ddpmpp(), VpSde.paper()));

  @Test
  void scoreGradientWithRespectToTheInputDoesNotDependOnTheGc() {
    for (Case c : CASES) {
      try (NDManager m = NDManager.newBaseManager()) {
        Block net = Tiny.initialized(c.spec(), m, 1);
        Tiny.perturb(net, 2);
        net.freezeParameters(true);
        int batch = 3;
        NetworkScoreModel score = NetworkScoreModel.inference(net, c.spec(), c.sde(), new ParameterStore(m, false))
            .withLabels(labels(m, batch, c.spec().numClasses()));
        Shape shape = Networks.inputShapes(c.spec(), batch)[0];
        NDArray x = Rng.of(3, batch).normal(m, shape);
        NDArray t = m.create(new float[] {0.05f, 0.4f, 0.9f}).get("0:" + batch);
        NDArray r = Rng.of(4, batch).normal(m, shape);
        Function<Boolean, float[]> gradient = poison -> Autograd.withGradient(gc -> {
          try (NDManager scope = m.newSubManager()) {
            NDArray leaf = x.duplicate();
            leaf.attach(scope);
            leaf.setRequiresGradient(true);
            NDArray objective = score.score(leaf, t).mul(r).sum();
            if (poison) {
              GcPoison.collectAndPoison();
            }
            gc.backward(objective);
            return leaf.getGradient().toFloatArray();
          }
        });
        assertSameEveryTime(c.spec().architecture() + " ∇ₓ", gradient);
      }
    }
  }

  @Test
  void trainingLossParameterGradientsDoNotDependOnTheGc() {
    DenoisingScoreMatching loss = new DenoisingScoreMatching(Reduction.MEAN, false, 1e-5, 0);
    for (Case c : CASES) {
      try (NDManager m = NDManager.newBaseManager()) {
        int batch = 3;
        NDArray x0 = Rng.of(5, batch).normal(m, Networks.inputShapes(c.spec(), batch)[0]);
        NDArray labels = c.spec().numClasses() > 0 ? labels(m, batch, c.spec().numClasses()) : null;
        Function<Boolean, float[]> gradient = poison -> Autograd.withGradient(gc -> {
          try (NDManager scope = m.newSubManager()) {
            // a fresh network each time: parameter gradients accumulate across backward passes
            Block net = Tiny.initialized(c.spec(), scope, 1);
            Tiny.perturb(net, 2);
            TrainableNetwork trainable = new TrainableNetwork(net, c.spec(), c.sde(), new ParameterStore(scope, false));
            NDArray value = loss.loss(trainable, new Batch(x0, labels), Rng.of(6, batch));
            if (poison) {
              GcPoison.collectAndPoison();
            }
            gc.backward(value);
            return parameterGradients(net);
          }
        });
        assertSameEveryTime(c.spec().architecture() + " ∇θ loss", gradient);
      }
    }
  }

  /** The undisturbed gradient is finite, and every disturbed repetition reproduces it exactly. */
  private static void assertSameEveryTime(String what, Function<Boolean, float[]> gradient) {
    float[] reference = gradient.apply(false);
    for (float v : reference) {
      assertTrue(Float.isFinite(v), what + ": undisturbed gradient not finite");
    }
    assertTrue(max(reference) > 0, what + ": undisturbed gradient is zero");
    for (int rep = 0; rep < REPETITIONS; rep++) {
      assertArrayEquals(reference, gradient.apply(true), 0f, what + ", repetition " + rep + " after a GC");
    }
  }

  private static float[] parameterGradients(Block net) {
    List<float[]> parts = new ArrayList<>();
    for (Pair<String, Parameter> p : net.getParameters()) {
      NDArray a = p.getValue().getArray();
      if (p.getValue().requiresGradient()) {
        parts.add(a.getGradient().toFloatArray());
      }
    }
    int n = parts.stream().mapToInt(v -> v.length).sum();
    float[] all = new float[n];
    int at = 0;
    for (float[] v : parts) {
      System.arraycopy(v, 0, all, at, v.length);
      at += v.length;
    }
    return all;
  }

  private static float max(float[] v) {
    float m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }

  /** Labels 0, 1, …, the last being the "no label" token numClasses. */
  private static NDArray labels(NDManager m, int batch, int numClasses) {
    int[] l = new int[batch];
    for (int i = 0; i < batch; i++) {
      l[i] = i % (numClasses + 1);
    }
    return m.create(l);
  }
}
