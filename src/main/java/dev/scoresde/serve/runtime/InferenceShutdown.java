package dev.scoresde.serve.runtime;

import org.springframework.context.SmartLifecycle;

/**
 * The first thing a stopping server does (SIGTERM): fail the queued and running tasks as shutting down
 * ({@link InferenceService#shutdown()}) while the web server still answers, so that a synchronous caller gets its
 * 503 and an event stream its {@code failed} event. Its phase is above the web server's graceful shutdown
 * ({@code server.shutdown: graceful}), which stops before it; that then waits only for those answers to be sent,
 * not for the tasks (up to {@code spring.lifecycle.timeout-per-shutdown-phase}, which had let a job run on for 30 s
 * before its client saw a closed connection).
 */
final class InferenceShutdown implements SmartLifecycle {
  private final InferenceService inference;
  private volatile boolean running;

  InferenceShutdown(InferenceService inference) {
    this.inference = inference;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    inference.shutdown();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stopped first: lifecycle beans stop from the highest phase down; the web server's are lower. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
