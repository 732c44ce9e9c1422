package dev.scoresde.serve.runtime;

import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.serve.task.OperationResult;
import dev.scoresde.serve.task.Task;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One submitted task: its state, latest progress, result, and listeners for progress and completion.
 * Cancelling completes it at once; a running task stops at its next step unless it shares a batch with
 * tasks still wanted.
 */
public final class Execution {

  /** Where a task stands. */
  public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }

  private final Task task;
  private final CompletableFuture<OperationResult> result = new CompletableFuture<>();
  private final List<Consumer<SamplingListener.Progress>> listeners = new CopyOnWriteArrayList<>();
  private volatile State state = State.QUEUED;
  private volatile SamplingListener.Progress progress;
  private volatile String cancelReason;
  private volatile boolean started;
  private final long submittedNanos = System.nanoTime();
  private volatile long startedNanos;
  private volatile Timing timing;

  /**
   * Where a finished task's time went, in nanoseconds: waiting in the queue (batching window included), the
   * worker's run of its batch (shared by every task of the batch), and the part of that run inside score
   * evaluations ({@link dev.scoresde.serve.task.ScoreClock}); the rest of the run is sampler arithmetic and
   * copying the result off the device.
   */
  public record Timing(long queuedNanos, long runNanos, long scoreNanos) {}

  Execution(Task task) {
    this.task = task;
  }

  /** How its time was spent, once it succeeded; null before. */
  public Timing timing() {
    return timing;
  }

  public Task task() {
    return task;
  }

  public State state() {
    return state;
  }

  /** The latest progress, or null before the first step. */
  public SamplingListener.Progress progress() {
    return progress;
  }

  public CompletableFuture<OperationResult> result() {
    return result;
  }

  /** Why it was cancelled (null unless cancelled). */
  public String cancelReason() {
    return cancelReason;
  }

  /** Adds a progress listener (called on the worker thread; must not block). */
  public void onProgress(Consumer<SamplingListener.Progress> listener) {
    listeners.add(listener);
  }

  public void removeProgressListener(Consumer<SamplingListener.Progress> listener) {
    listeners.remove(listener);
  }

  /** Cancels unless finished; returns whether this call cancelled it. */
  public boolean cancel(String reason) {
    synchronized (this) {
      if (result.isDone()) {
        return false;
      }
      cancelReason = reason;
      state = State.CANCELLED;
    }
    result.completeExceptionally(new CancellationException(reason));
    return true;
  }

  boolean isDone() {
    return result.isDone();
  }

  synchronized boolean start() {
    if (result.isDone() || state == State.CANCELLED) { // cancel() sets the state before completing the result
      return false;
    }
    state = State.RUNNING;
    started = true;
    startedNanos = System.nanoTime();
    return true;
  }

  /** Whether a worker took it: if not, it ended in the queue (cancelled, or failed by shutdown). */
  boolean started() {
    return started;
  }

  void publish(SamplingListener.Progress p) {
    progress = p;
    for (Consumer<SamplingListener.Progress> l : listeners) {
      try {
        l.accept(p);
      } catch (RuntimeException e) {
        listeners.remove(l);
      }
    }
  }

  void succeed(OperationResult r, long runNanos, long scoreNanos) {
    timing = new Timing(startedNanos - submittedNanos, runNanos, scoreNanos);
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      state = State.SUCCEEDED;
    }
    result.complete(r);
  }

  void fail(Throwable t) {
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      state = t instanceof CancellationException ? State.CANCELLED : State.FAILED;
    }
    result.completeExceptionally(t);
  }
}
