package dev.scoresde.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.sde.VeSde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.testnet.TestNetworks;
import dev.scoresde.data.Batch;
import org.junit.jupiter.api.Test;

class SlicedScoreMatchingTest {

  /**
   * The finite-difference estimator against the exact sliced objective σ²(½(vᵀs)² + vᵀ∇ₓ(vᵀs)) of a
   * nonlinear network, whose Hessian-vector product comes from autograd with respect to the input.
   */
  @Test
  void finiteDifferenceEstimatorMatchesExactSlicedObjective() {
    int n = 16;
    int d = 4;
    VeSde sde = new VeSde(0.01, 5, 1000);
    NetworkSpec spec = TestNetworks.mlp(d, 0, 32, 0);
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = TestNetworks.FACTORY.create(spec);
      TestNetworks.FACTORY.initialize(block, spec, m, 3);
      TrainableNetwork net = new TrainableNetwork(block, spec, sde, new ParameterStore(m, false));
      NDArray x0 = Rng.of(1, n).normal(m, new Shape(n, d));
      double fd = new SlicedScoreMatching(Reduction.SUM, false, 1e-5, 0, 1e-2)
          .loss(net, new Batch(x0, null), Rng.of(2, n)).getFloat();

      Rng rng = Rng.of(2, n);
      float[] u = rng.uniform(m, new Shape(n)).toFloatArray();
      NDArray z = rng.normal(m, new Shape(n, d));
      NDArray v = rng.rademacher(m, new Shape(n, d));
      float[] t = new float[n];
      for (int i = 0; i < n; i++) {
        t[i] = (float) (u[i] * (1 - 1e-5) + 1e-5);
      }
      NDArray tt = m.create(t);
      NDArray std = sde.marginalStd(x0, tt);
      NDArray xt = x0.add(z.mul(std));
      xt.setRequiresGradient(true);
      float[] vs;
      float[] hvp;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray s = net.scoreModel(null).score(xt, tt);
        NDArray perRow = s.mul(v).sum(new int[] {1});
        vs = perRow.toFloatArray();
        gc.backward(perRow.sum());
        hvp = xt.getGradient().mul(v).sum(new int[] {1}).toFloatArray();
      }
      float[] sig = std.toFloatArray();
      double exact = 0;
      for (int i = 0; i < n; i++) {
        exact += sig[i] * sig[i] * (0.5 * vs[i] * vs[i] + hvp[i]) / n;
      }
      assertEquals(exact, fd, 1e-3 * Math.abs(exact) + 1e-4);
    }
  }

  /**
   * Sliced and denoising score matching differ by a constant independent of the model (Vincent 2011):
   * with σ² weighting and mean reduction, E[DSM] − E[SSM] = σ²·E‖z/σ‖²/d = 1. Checked by Monte Carlo at
   * the exact score of Gaussian data and at a wrong one; both objectives rank the exact score first.
   */
  @Test
  void slicedAndDenoisingObjectivesDifferByAModelIndependentConstant() {
    double s = 0.7;
    VeSde sde = new VeSde(0.01, 10, 1000);
    int n = 40000;
    try (NDManager m = NDManager.newBaseManager()) {
      Batch batch = new Batch(Rng.of(5, n).normal(m, new Shape(n, 2)).mul((float) s), null);
      double[] dsm = new double[2];
      double[] ssm = new double[2];
      float[] factors = {1f, 0.7f};
      for (int k = 0; k < 2; k++) {
        float f = factors[k];
        TrainableNetwork net = LossFixtures.network(m, sde, (x, c) -> {
          NDArray sigma = c.reshape(-1, 1);
          return x.mul(sigma).div(sigma.square().add((float) (s * s))).neg().mul(f);
        });
        dsm[k] = new DenoisingScoreMatching(Reduction.MEAN, false, 1e-5, 0).loss(net, batch, Rng.of(9, n)).getFloat();
        ssm[k] = new SlicedScoreMatching(Reduction.MEAN, false, 1e-5, 0, 1e-2)
            .loss(net, batch, Rng.of(10, n)).getFloat();
        assertEquals(1.0, dsm[k] - ssm[k], 0.03, "factor " + f + ": dsm " + dsm[k] + " ssm " + ssm[k]);
      }
      assertTrue(dsm[0] < dsm[1] && ssm[0] < ssm[1]);
    }
  }

  /**
   * Documents the engine: DJL 0.36's GradientCollector exposes no create_graph, but PyTorch's
   * backward(create_graph = true) through JniUtils does yield a differentiable input gradient, i.e.
   * second-order gradients work. Training still uses the finite-difference estimator: it needs two
   * forward passes and one ordinary backward instead of a double backward, and no engine-specific API.
   */
  @Test
  void pytorchSecondOrderGradientIsReachableOnlyThroughJniUtils() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1, 2, 3});
      NDArray x = m.create(new float[] {0.5f, -1f, 2f});
      NDArray v = m.create(new float[] {1, -1, 1});
      w.setRequiresGradient(true);
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray sv = w.mul(x.pow(3)).mul(v).sum(); // vᵀ s(x) with s = w ⊙ x³
        JniUtils.backward((PtNDArray) sv, (PtNDArray) m.ones(sv.getShape()), true, true);
        NDArray gx = x.getGradient(); // 3 w x² ⊙ v, still attached to the graph
        assertArrayEquals(new float[] {0.75f, -6f, 36f}, gx.toFloatArray(), 1e-6f);
        NDArray firstOrder = w.getGradient();
        firstOrder.subi(firstOrder);
        JniUtils.zeroGrad((PtNDArray) x);
        gc.backward(v.mul(gx).sum()); // ∂/∂w of vᵀ ∇ₓ(vᵀ s) = 3 v² x²
        assertArrayEquals(new float[] {0.75f, 3f, 12f}, w.getGradient().toFloatArray(), 1e-6f);
      }
    }
  }
}
