package dev.scoresde.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AutogradTest {

  /** d/dx Σ x³ = 3x², from a fresh leaf each call: the second call does not add onto the first. */
  private static float[] gradientOfCubeSum(NDArray x) {
    return Autograd.withGradient(gc -> {
      try (NDManager scope = x.getManager().newSubManager()) {
        NDArray leaf = x.duplicate();
        leaf.attach(scope);
        leaf.setRequiresGradient(true);
        gc.backward(leaf.pow(3).sum());
        return leaf.getGradient().toFloatArray();
      }
    });
  }

  @Test
  void gradientsAreExactAndDoNotAccumulateAcrossCalls() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, -2, 0.5f});
      float[] expected = {3, 12, 0.75f};
      assertArrayEquals(expected, gradientOfCubeSum(x), 1e-6f);
      assertArrayEquals(expected, gradientOfCubeSum(x), 1e-6f);
      assertFalse(Autograd.isCollecting());
    }
  }

  @Test
  void nestingIsRefusedAndTheLockIsReleasedAfterwards() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Autograd.withGradient(outer -> Autograd.withGradient(inner -> 0)));
    assertEquals(true, e.getMessage().contains("nested"));
    assertFalse(Autograd.isCollecting());
    assertEquals(1, (int) Autograd.withGradient(gc -> 1));
  }

  /** Two threads taking turns: both get their gradients, neither meets DJL's "already collecting" error. */
  @Test
  void concurrentCallersAreSerialized() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {2, 3});
      Future<?>[] jobs = new Future<?>[4];
      for (int i = 0; i < jobs.length; i++) {
        jobs[i] = pool.submit(() -> {
          for (int j = 0; j < 20; j++) {
            assertArrayEquals(new float[] {12, 27}, gradientOfCubeSum(x), 1e-5f);
          }
        });
      }
      for (Future<?> job : jobs) {
        job.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
