package dev.scoresde.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Networks wrapped by NetworkScoreModel under each SDE, and the classifier's input gradient. */
class ScoreModelTest {

  @Test
  void scoresAreFiniteAndShapedLikeXForEverySdeWithAndWithoutLabels() {
    try (NDManager m = NDManager.newBaseManager()) {
      for (Sde sde : List.<Sde>of(VeSde.paper(), VpSde.paper(), SubVpSde.paper())) {
        NetworkSpec spec = sde instanceof VeSde ? Tiny.ncsnppSkip() : Tiny.ddpmppResidualPlain();
        Block net = Tiny.initialized(spec, m, 0);
        Tiny.perturb(net, 1);
        NetworkScoreModel model = NetworkScoreModel.inference(net, spec, sde, new ParameterStore(m, false));
        NDArray x = Rng.of(2, 3).normal(m, new Shape(3, spec.channels(), 8, 8));
        NDArray t = m.create(new float[] {1e-3f, 0.5f, 1f});
        NDArray unlabelled = model.score(x, t);
        NDArray labelled = model.withLabels(m.create(new int[] {0, 1, spec.numClasses() - 1})).score(x, t);
        for (NDArray s : List.of(unlabelled, labelled)) {
          assertEquals(x.getShape(), s.getShape());
          assertTrue(s.isInfinite().logicalOr(s.isNaN()).none().getBoolean(), sde.kind() + " score not finite");
        }
        assertNotEquals(0f, unlabelled.sub(labelled).abs().max().getFloat(), "labels change the score");
        // No labels means the "no label" token.
        NDArray noLabel = m.full(new Shape(3), spec.numClasses()).toType(ai.djl.ndarray.types.DataType.INT32, false);
        assertArrayEquals(unlabelled.toFloatArray(), model.withLabels(noLabel).score(x, t).toFloatArray(), 1e-6f);
      }
    }
  }

  @Test
  void classifierLogProbabilityHasANonZeroGradientInX() {
    NetworkSpec spec = Tiny.classifier();
    try (NDManager m = NDManager.newBaseManager()) {
      Block net = Tiny.initialized(spec, m, 0);
      NDArray x = Rng.of(6, 2).normal(m, new Shape(2, 1, 8, 8));
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = net.forward(new ParameterStore(m, false), new NDList(x, m.create(new float[] {0.1f, 5f})), false)
            .singletonOrThrow();
        assertEquals(new Shape(2, 3), logits.getShape());
        NDArray logp = logits.logSoftmax(1).get(":, 1").sum(); // log p_t(y = 1 | x), summed over the batch
        gc.backward(logp);
      }
      NDArray grad = x.getGradient();
      assertEquals(x.getShape(), grad.getShape());
      assertTrue(grad.isNaN().none().getBoolean());
      for (int row = 0; row < 2; row++) {
        assertTrue(grad.get(row).abs().max().getFloat() > 0, "row " + row);
      }
    }
  }
}
