package dev.scoresde.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.scoresde.checkpoint.CheckpointLayout;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.testnet.TestNetworks;
import dev.scoresde.train.TrainerTest.Setup;
import dev.scoresde.data.Batch;
import dev.scoresde.data.DataFixtures;
import dev.scoresde.data.FashionMnist;
import dev.scoresde.data.TrainingData;
import dev.scoresde.train.loss.LossKind;
import dev.scoresde.train.loss.LossSettings;
import dev.scoresde.train.loss.Reduction;
import dev.scoresde.train.loss.TrainableNetwork;
import dev.scoresde.train.loss.TrainingLoss;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data parallelism checked on the CPU by listing the CPU several times: each listed device gets its own
 * replica of the weights and its own slice of the batch, exactly as distinct GPUs would. The oracle is the
 * single-device step on the whole batch; the split may only change float round-off (summation order and
 * batch-size-dependent kernels), never the rows' noise or the loss's scale.
 */
class DataParallelTest {
  /**
   * Round-off tolerance of one step's loss and gradients, relative to max(1, |loss|) and to the largest gradient
   * element (sliced score matching's finite difference cancels two network outputs, so its loss carries about
   * 100× the float round-off of its terms).
   */
  static final double STEP_TOL = 1e-5;
  /** Tolerance of weights and losses after a dozen Adam steps (Adam's m/sqrt(v) amplifies round-off on tiny gradients). */
  static final double RUN_TOL = 1e-4;

  static final Device CPU = Device.cpu();

  @TempDir Path dir;

  /** Class-conditional 4×4 images padded to 6, DSM on VP with label dropout; no network dropout (see below). */
  Setup labelledImages() throws IOException {
    DataFixtures.fashionLike(dir.resolve("data"), "train", 20, 4);
    TrainingData data = FashionMnist.load(dir.resolve("data"), "train", 6, ValueRange.SYMMETRIC, 5);
    return new Setup(data, TestNetworks.mlp(1, 6, 32, 10), VpSde.paper(),
        new LossSettings(LossKind.DSM, Reduction.MEAN, false, 1e-5, 0.3, 0.01));
  }

  @Test
  void slicesAreContiguousAndAsEvenAsPossible() {
    assertArrayEquals(new int[] {0, 8, 16}, DataParallel.bounds(16, 2));
    assertArrayEquals(new int[] {0, 6, 11, 16}, DataParallel.bounds(16, 3));
    assertArrayEquals(new int[] {0, 1, 2, 2, 2}, DataParallel.bounds(2, 4), "fewer rows than devices");
    assertArrayEquals(new int[] {0, 5}, DataParallel.bounds(5, 1));
  }

  /** One step's loss and summed gradients on 1, 2 and 3 devices, for each loss that has per-row noise. */
  @Test
  void splitLossAndSummedGradientsEqualTheFullBatchStep() throws IOException {
    Setup images = labelledImages();
    Setup mixture = TrainerTest.mixture();
    for (Setup s : List.of(images, mixture)) {
      Step one = step(s, List.of(CPU), 16);
      for (List<Device> devices : List.of(List.of(CPU, CPU), List.of(CPU, CPU, CPU))) {
        Step split = step(s, devices, 16);
        String what = s.loss().kind() + " on " + devices.size() + " devices";
        assertEquals(one.loss, split.loss, STEP_TOL * Math.max(1, Math.abs(one.loss)), what + ": loss");
        double scale = 0;
        for (float[] g : one.grads) {
          for (float v : g) {
            scale = Math.max(scale, Math.abs(v));
          }
        }
        assertTrue(scale > 0, "a gradient to compare");
        for (int i = 0; i < one.grads.size(); i++) {
          assertArrayEquals(one.grads.get(i), split.grads.get(i), (float) (STEP_TOL * scale), what + ": gradient " + i);
        }
        // the replicas computed their own slices' gradients: before the reduction the master holds only its share
        double replicaShare = 0;
        for (int i = 0; i < one.grads.size(); i++) {
          for (int j = 0; j < one.grads.get(i).length; j++) {
            replicaShare = Math.max(replicaShare, Math.abs(split.grads.get(i)[j] - split.beforeReduce.get(i)[j]));
          }
        }
        assertTrue(replicaShare > 0.01 * scale, what + ": replicas' share " + replicaShare + " of " + scale);
      }
    }
  }

  @Test
  void threeDevicesFollowTheSingleDeviceTrajectory() throws IOException {
    Setup s = labelledImages();
    Run one = train(s, dir.resolve("one"), List.of(CPU), 12, -1);
    Run three = train(s, dir.resolve("three"), List.of(CPU, CPU, CPU), 12, -1); // slices of 6, 5 and 5 rows
    assertEquals(12, three.losses.size());
    for (int k = 0; k < 12; k++) {
      assertEquals(one.losses.get(k), three.losses.get(k), RUN_TOL * Math.abs(one.losses.get(k)), "loss " + k);
    }
    assertClose(one.weights(), three.weights(), RUN_TOL, "weights after 12 steps");
  }

  @Test
  void oneListedDeviceIsBitIdenticalToTheDefaultTrainer() throws IOException {
    Setup s = TrainerTest.mixture();
    List<Double> reference = TrainerTest.run(TrainerTest.job(s, dir.resolve("default"), 12, 100, true), s.data(), -1);
    Run listed = train(s, dir.resolve("listed"), List.of(CPU), 12, -1);
    assertEquals(reference, listed.losses, "bit-exact doubles");
  }

  /** Checkpoints hold only the master's weights: a two-device run resumes bit-exactly, also from one device. */
  @Test
  void killAndResumeWorksAcrossDeviceCounts() throws IOException {
    Setup s = TrainerTest.mixture();
    Run straight = train(s, dir.resolve("straight"), List.of(CPU, CPU), 14, -1);
    Run crashed = train(s, dir.resolve("crashed"), List.of(CPU, CPU), 14, 11);
    assertEquals(dir.resolve("crashed/step-00000008"), CheckpointLayout.latest(dir.resolve("crashed")).orElseThrow());
    assertEquals(straight.losses.subList(0, 11), crashed.losses);
    Run resumed = train(s, dir.resolve("crashed"), List.of(CPU, CPU), 14, -1);
    assertEquals(straight.losses.subList(8, 14), resumed.losses, "two devices resume bit-exactly");
    assertClose(straight.weights(), resumed.weights(), 0, "final weights");

    Run single = train(s, dir.resolve("switch"), List.of(CPU), 14, 11);
    Run switched = train(s, dir.resolve("switch"), List.of(CPU, CPU), 14, -1);
    assertEquals(6, switched.losses.size(), "a one-device checkpoint resumes on two devices");
    for (int k = 0; k < 6; k++) {
      assertEquals(straight.losses.get(8 + k), switched.losses.get(k), RUN_TOL * Math.abs(straight.losses.get(8 + k)));
    }
    assertEquals(11, single.losses.size());
  }

  // ---- helpers

  /** The loss, the master's gradients after the reduction, and before it (its own slice's only). */
  record Step(double loss, List<float[]> grads, List<float[]> beforeReduce) {}

  static Step step(Setup s, List<Device> devices, int batchSize) {
    return step(s, devices, batchSize, s.loss().build());
  }

  /** One forward/backward/reduce of step 3's batch from the seed-7 initialization; the gradients of the master. */
  static Step step(Setup s, List<Device> devices, int batchSize, TrainingLoss loss) {
    try (NDManager manager = NDManager.newBaseManager(devices.get(0))) {
      Block network = TestNetworks.FACTORY.create(s.spec());
      TestNetworks.FACTORY.initialize(network, s.spec(), manager, 7);
      TrainableNetwork net = new TrainableNetwork(network, s.spec(), s.sde(), new ParameterStore(manager, false));
      DataParallel parallel = new DataParallel(devices, net, manager);
      try (NDManager scope = manager.newSubManager()) {
        Batch batch = s.data().batch(3, batchSize, scope);
        Rng rng = Rng.of(99, batchSize);
        double value = Autograd.withGradient(gc -> parallel.forwardBackward(gc, loss, batch, rng, scope));
        List<float[]> own = gradients(network, scope);
        parallel.reduceGradients(scope);
        return new Step(value, gradients(network, scope), own);
      }
    }
  }

  static List<float[]> gradients(Block network, NDManager scope) {
    List<float[]> grads = new ArrayList<>();
    for (Pair<String, Parameter> p : network.getParameters()) {
      NDArray a = p.getValue().getArray();
      if (a.hasGradient()) {
        NDArray g = a.getGradient();
        g.attach(scope);
        grads.add(g.toFloatArray());
      }
    }
    return grads;
  }

  record Run(Path folder, List<Double> losses) {
    float[][] weights() throws IOException {
      try (NDManager m = NDManager.newBaseManager()) {
        return TrainerTest.arrays(CheckpointLayout.latest(folder).orElseThrow(), CheckpointLayout.PARAMS, m);
      }
    }
  }

  static Run train(Setup s, Path folder, List<Device> devices, long steps, long killAfter) throws IOException {
    List<Double> losses = Collections.synchronizedList(new ArrayList<>());
    Trainer t = new Trainer(TrainerTest.job(s, folder, steps, 8, true), s.data(), TestNetworks.FACTORY,
        new SimpleMeterRegistry(), null, (step, loss) -> {
          losses.add(loss);
          if (step == killAfter) {
            throw new TrainerTest.Killed();
          }
        }, devices);
    try {
      t.run();
    } catch (TrainerTest.Killed expected) {
      // the crash
    }
    return new Run(folder, losses);
  }

  static void assertClose(float[][] a, float[][] b, double relTol, String what) {
    assertEquals(a.length, b.length);
    for (int i = 0; i < a.length; i++) {
      double scale = 0;
      for (float v : a[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertArrayEquals(a[i], b[i], (float) (relTol * Math.max(scale, 1e-3)), what + ", array " + i);
    }
  }
}
