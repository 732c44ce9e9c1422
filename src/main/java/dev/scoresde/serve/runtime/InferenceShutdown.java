package dev.scoresde.serve.runtime;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The first thing a closing server does (SIGTERM): fail the queued and running tasks as shutting down
 * ({@link InferenceService#shutdown()}) while the web server still answers, so that a synchronous caller gets its
 * 503 and an event stream its {@code failed} event. The context publishes its closed event before it stops any
 * lifecycle bean, so this comes before the web server's graceful shutdown ({@code server.shutdown: graceful}),
 * which then waits only for those answers to be sent, not for the tasks (it had let a job run on for 30 s before
 * its client saw a closed connection).
 *
 * <p>An event listener rather than a {@code SmartLifecycle}: a lifecycle bean is also stopped when a context is
 * only paused (Spring's test context cache pauses inactive contexts and restarts them), and shutdown is for good.
 */
record InferenceShutdown(InferenceService inference, ApplicationContext context)
    implements ApplicationListener<ContextClosedEvent> {

  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    if (event.getApplicationContext() == context) { // not a child's (the management server's) closing
      inference.shutdown();
    }
  }
}
