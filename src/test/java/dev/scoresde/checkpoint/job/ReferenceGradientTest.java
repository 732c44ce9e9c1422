package dev.scoresde.checkpoint.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.reference.ReferenceCheckpoint;
import dev.scoresde.checkpoint.reference.ReferenceImport;
import dev.scoresde.nn.reference.ReferenceNetwork;
import ai.djl.training.ParameterStore;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Npy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients with respect to x through an imported network (what guidance and the Hutchinson likelihood take) agree
 * with central differences: constants such as FIR filters and interpolation matrices must outlive the modules'
 * memory scopes, since autograd reads them in the backward pass.
 */
class ReferenceGradientTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"ve-celebahq_256_ncsnpp_continuous", "vp-cifar10_ncsnpp_continuous-ddpm_fir11_inputskip_cat",
      "ve-ncsn-cifar10"})
  void inputGradientMatchesCentralDifferences(String id) throws Exception {
    Path fixture = ReferenceParityTest.FIXTURES.resolve(id);
    Map<String, String> overrides = new TreeMap<>();
    ReferenceImport.run(fixture.resolve("checkpoint.pth"), ReferenceParityTest.config(fixture, overrides), overrides,
        dir.resolve("m"), null, ReferenceCheckpoint.Weights.EMA);
    try (NDManager m = NDManager.newBaseManager()) {
      NetworkScoreModel s = new CheckpointStore(NetworkFactory.NETWORKS).load(dir.resolve("m"), m).scoreModel();
      NDArray x0 = Npy.read(fixture.resolve("x.npy"), m).get("0:1").toType(DataType.FLOAT32, false);
      NDArray t = Npy.read(fixture.resolve("t.npy"), m).get("1:2");
      java.util.Random random = new java.util.Random(7);
      NDArray r = gaussian(m, random, x0);
      NDArray v = gaussian(m, random, x0);
      double analytic = Autograd.withGradient(gc -> {
        try (NDManager scope = m.newSubManager()) {
          NDArray x = x0.duplicate();
          x.attach(scope);
          x.setRequiresGradient(true);
          NDArray f = s.score(x, t).mul(r).sum();
          System.gc(); // nothing the backward pass reads may depend on a Java handle
          gc.backward(f);
          return (double) x.getGradient().mul(v).sum().getFloat();
        }
      });
      // smooth networks (NCSNv2 is left out: its max-pooling makes difference quotients jump by several %);
      // NCSN++ agrees within 0.1 %, a freed constant gives errors of order one or NaN
      double eps = 3e-3;
      double plus = s.score(x0.add(v.mul(m.create((float) eps))), t).mul(r).sum().getFloat();
      double minus = s.score(x0.sub(v.mul(m.create((float) eps))), t).mul(r).sum().getFloat();
      double numeric = (plus - minus) / (2 * eps);
      assertEquals(numeric, analytic, 3e-2 * Math.abs(numeric), id);
    }
  }

  /**
   * Gradients with respect to the weights (what a training step takes) agree with central differences, for
   * parameters read before, inside and after the modules' in-place fast paths (a GroupNorm scale, a convolution
   * bias, an attention NIN): with autograd recording, no value a backward pass reads may be overwritten.
   */
  @ParameterizedTest
  @ValueSource(strings = {"ve-cifar10_ncsnpp_continuous", "vp-ddpm-cifar10"})
  void weightGradientMatchesCentralDifferences(String id) throws Exception {
    Path fixture = ReferenceParityTest.FIXTURES.resolve(id);
    Map<String, String> overrides = new TreeMap<>();
    ReferenceImport.run(fixture.resolve("checkpoint.pth"), ReferenceParityTest.config(fixture, overrides), overrides,
        dir.resolve("m"), null, ReferenceCheckpoint.Weights.EMA);
    try (NDManager m = NDManager.newBaseManager()) {
      var loaded = new CheckpointStore(NetworkFactory.NETWORKS).load(dir.resolve("m"), m);
      ReferenceNetwork net = (ReferenceNetwork) loaded.network();
      NetworkScoreModel s = new NetworkScoreModel(net, loaded.card().network(), loaded.card().sde().toSde(),
          new ParameterStore(m, false), false, null); // weights trainable, dropout off: deterministic
      NDArray x = Npy.read(fixture.resolve("x.npy"), m).get("0:2").toType(DataType.FLOAT32, false);
      NDArray t = Npy.read(fixture.resolve("t.npy"), m).get("1:3");
      java.util.Random random = new java.util.Random(11);
      NDArray r = gaussian(m, random, x);
      List<String> names = net.parameters().keySet().stream()
          .filter(n -> n.endsWith("GroupNorm_1.weight") || n.endsWith("Conv_1.bias") || n.endsWith("NIN_0.W"))
          .limit(3).toList();
      List<NDArray> directions = new ArrayList<>();
      for (String name : names) {
        directions.add(gaussian(m, random, net.parameters().get(name).getArray()));
      }
      // one backward pass fills (and accumulates into) every weight's gradient
      double[] analytic = Autograd.withGradient(gc -> {
        try (NDManager scope = m.newSubManager()) {
          NDArray f = s.score(x, t).mul(r).sum();
          f.attach(scope);
          System.gc();
          gc.backward(f);
          double[] d = new double[names.size()];
          for (int i = 0; i < d.length; i++) {
            d[i] = net.parameters().get(names.get(i)).getArray().getGradient().mul(directions.get(i)).sum().getFloat();
          }
          return d;
        }
      });
      for (int i = 0; i < names.size(); i++) {
        NDArray p = net.parameters().get(names.get(i)).getArray();
        double eps = 1e-2;
        double plus;
        double minus;
        try (NDManager scope = m.newSubManager()) {
          NDArray step = directions.get(i).mul(scope.create((float) eps));
          p.addi(step);
          plus = s.score(x, t).mul(r).sum().getFloat();
          p.subi(step).subi(step);
          minus = s.score(x, t).mul(r).sum().getFloat();
          p.addi(step);
        }
        double numeric = (plus - minus) / (2 * eps);
        assertEquals(numeric, analytic[i], 2e-2 * Math.abs(numeric) + 1e-3, id + " " + names.get(i));
      }
    }
  }

  static NDArray gaussian(NDManager m, java.util.Random random, NDArray like) {
    float[] g = new float[Math.toIntExact(like.size())];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) random.nextGaussian();
    }
    return m.create(g, like.getShape());
  }
}
