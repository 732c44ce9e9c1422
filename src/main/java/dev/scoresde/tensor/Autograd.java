package dev.scoresde.tensor;

import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one door to DJL autograd. PyTorch's DJL engine allows a single open {@link GradientCollector} in the
 * whole JVM ("Only one can be collecting at a time"), so every user — Hutchinson divergence, classifier
 * guidance, training steps — opens it here, under one global lock, and never nests.
 *
 * <p>What DJL 0.36's PtGradientCollector does, and what follows for callers:
 * <ul>
 *   <li>It switches PyTorch's grad mode on for the <em>current thread</em> and restores it on close, so the
 *       body must run on the calling thread (no hand-off to other threads inside).</li>
 *   <li>{@code backward(y)} seeds with ones and frees the graph; gradients <em>accumulate</em> into every
 *       leaf that requires gradient (its {@code zeroGradients} is not called for you). Use a fresh leaf per
 *       call ({@code x.duplicate()} then {@code setRequiresGradient(true)}) so nothing carries over, and
 *       close it (with everything else made inside) when done, e.g. in a sub-manager.</li>
 *   <li>{@code NDArray.duplicate()} runs under PyTorch's NoGradGuard in DJL: its result is cut off from the
 *       graph. Good for making leaves and detached copies; never use it (nor {@code NDArrays.concat} of a
 *       single array, which duplicates) inside a computation that must be differentiated.</li>
 *   <li>Backward also fills the {@code .grad} of model parameters that require gradient; inference models
 *       should keep their parameters frozen.</li>
 * </ul>
 */
public final class Autograd {
  private static final ReentrantLock LOCK = new ReentrantLock(true);

  private Autograd() {}

  /**
   * Runs {@code body} with the JVM's only gradient collector open; waits for the lock if another thread
   * holds it. Throws IllegalStateException when called from inside another {@code withGradient} (nesting
   * would open a second collector).
   */
  public static <T> T withGradient(Function<GradientCollector, T> body) {
    if (LOCK.isHeldByCurrentThread()) {
      throw new IllegalStateException("nested Autograd.withGradient: only one GradientCollector may be open");
    }
    LOCK.lock();
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      return body.apply(collector);
    } finally {
      LOCK.unlock();
    }
  }

  /** Whether some thread is collecting gradients right now (for diagnostics and tests). */
  public static boolean isCollecting() {
    return LOCK.isLocked();
  }
}
