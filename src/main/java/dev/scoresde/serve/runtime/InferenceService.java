package dev.scoresde.serve.runtime;

import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.ode.NotFiniteException;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ServedModel;
import dev.scoresde.serve.task.BatchableTask;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.OperationResult;
import dev.scoresde.serve.task.ScoreClock;
import dev.scoresde.serve.task.Task;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference core: a bounded queue of tasks and worker threads. A worker takes the oldest task; if it
 * is a {@link BatchableTask} (sampling, inpainting, colorization) and batching is on, it also takes queued
 * tasks with an equal {@link BatchableTask#batchKey()}, waiting up to {@code maxDelay} for more, up to
 * {@code maxBatch} rows, and runs them as one batch; flow operations always run alone (see serve.task.FlowTask).
 * A full queue refuses new tasks ({@link ServeException.Kind#BUSY}).
 * Each run works in its own sub-manager of the model's manager, closed afterwards, so no tensor outlives
 * its request.
 */
public final class InferenceService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
  /**
   * How long {@link #close()} waits for running batches to reach their next step and stop: with Spring's shutdown
   * phase (spring.lifecycle.timeout-per-shutdown-phase, 10 s) well inside Kubernetes' grace period.
   */
  static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

  private final ModelRegistry registry;
  private final ServeProperties props;
  private final ServeMetrics metrics;
  private final Deque<Execution> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  /** The executions a worker is running now: shutdown cancels them and waits before the models close. */
  private final java.util.Set<Execution> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean running = true;
  private volatile ServeProperties.Batching batching;
  private final DrainEstimate drain = new DrainEstimate();

  public InferenceService(ModelRegistry registry, ServeProperties props, ServeMetrics metrics) {
    this.registry = registry;
    this.props = props;
    this.metrics = metrics;
    this.batching = props.batching();
    metrics.queueDepth(this::queueDepth);
    for (int i = 0; i < props.workers(); i++) {
      Thread t = new Thread(this::work, "inference-" + i);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
  }

  public ServeProperties properties() {
    return props;
  }

  /** Switches batching at run time (benchmarks compare on and off in one run). */
  public void setBatching(ServeProperties.Batching b) {
    this.batching = b;
  }

  public ServeProperties.Batching batching() {
    return batching;
  }

  /**
   * Validates the operation against its model and queues it.
   *
   * @throws InvalidRequestException for a bad parameter
   * @throws ServeException unknown or unavailable model, unsupported operation, full queue
   */
  public Execution submit(Operation op) {
    if (!running) {
      throw shuttingDown();
    }
    ServedModel model = registry.require(op.model());
    Execution e = new Execution(Task.of(op, model, props));
    // a task that ends before a worker takes it is counted here; the workers count the others
    e.result().whenComplete((r, t) -> {
      if (!e.started()) {
        metrics.endedQueued(e.task(), t instanceof CancellationException ? "cancelled" : "failed");
      }
    });
    synchronized (queue) {
      if (!running) { // shutdown began while the task was validated
        throw shuttingDown();
      }
      queue.removeIf(Execution::isDone);
      if (queue.size() >= props.queueCapacity()) {
        throw new ServeException(ServeException.Kind.BUSY, "the inference queue is full (" + queue.size()
            + " tasks waiting); retry later", retryAfterSeconds());
      }
      queue.addLast(e);
      queue.notifyAll();
    }
    return e;
  }

  /**
   * Checks the operation against its model and the limits exactly as {@link #submit} does, without queueing it (a
   * job queued in a shared store is checked where it is submitted and run wherever a worker is free).
   */
  public void validate(Operation op) {
    Task.of(op, registry.require(op.model()), props);
  }

  /** Whether every configured model has loaded (or failed): before that, work for a model may not be runnable. */
  public boolean modelsLoaded() {
    return registry.loaded().isDone();
  }

  public int queueDepth() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private long retryAfterSeconds() {
    return drain.retryAfterSeconds(queue.size(), props.workers());
  }

  private void work() {
    while (running) {
      List<Execution> batch;
      try {
        batch = next();
      } catch (InterruptedException e) {
        return;
      }
      if (!batch.isEmpty()) {
        execute(batch);
      }
    }
  }

  /** The next task and, for a batchable task with batching on, its compatible companions. */
  private List<Execution> next() throws InterruptedException {
    synchronized (queue) {
      while (queue.isEmpty()) {
        queue.wait();
      }
      Execution first = queue.pollFirst();
      List<Execution> batch = new ArrayList<>(List.of(first));
      ServeProperties.Batching b = batching;
      Object key = b.enabled() && first.task() instanceof BatchableTask bt ? bt.batchKey() : null;
      if (first.isDone() || key == null) {
        return first.isDone() ? List.of() : batch;
      }
      int rows = first.task().rows();
      long until = System.nanoTime() + b.maxDelay().toNanos();
      while (true) {
        for (Iterator<Execution> it = queue.iterator(); it.hasNext() && rows < b.maxBatch();) {
          Execution e = it.next();
          if (e.isDone()) {
            it.remove();
          } else if (e.task() instanceof BatchableTask t && key.equals(t.batchKey())
              && rows + t.rows() <= b.maxBatch()) {
            it.remove();
            batch.add(e);
            rows += t.rows();
          }
        }
        long left = until - System.nanoTime();
        if (rows >= b.maxBatch() || left <= 0) {
          return batch;
        }
        queue.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private void execute(List<Execution> batch) {
    List<Execution> live = batch.stream().filter(Execution::start).toList();
    if (live.isEmpty()) {
      return;
    }
    inFlight.addAll(live);
    if (!running) { // taken from the queue just as shutdown began
      live.forEach(e -> e.fail(shuttingDown()));
      inFlight.removeAll(live);
      return;
    }
    try {
      run(live);
    } finally {
      inFlight.removeAll(live);
    }
  }

  private void run(List<Execution> live) {
    Task first = live.get(0).task();
    long start = System.nanoTime();
    int rows = live.stream().mapToInt(e -> e.task().rows()).sum();
    metrics.batch(live.size(), rows);
    SamplingListener listener = p -> {
      boolean anyWanted = false;
      for (Execution e : live) {
        if (!e.isDone()) {
          e.publish(p);
          anyWanted = true;
        }
      }
      if (!anyWanted) {
        throw new CancellationException("every request of the batch was cancelled");
      }
    };
    ScoreClock.reset();
    try (NDManager scope = first.model().manager().newSubManager()) {
      List<OperationResult> results = live.size() == 1
          ? List.of(first.run(scope, listener))
          : ((BatchableTask) first).runBatch(live.stream().map(e -> (BatchableTask) e.task()).toList(), scope,
              listener);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      drain.finished(took, live.size());
      for (int i = 0; i < live.size(); i++) {
        Execution e = live.get(i);
        metrics.finished(e.task(), e.isDone() ? "cancelled" : "success", took, results.get(i).metadata().nfe());
        e.succeed(results.get(i), took.toNanos(), ScoreClock.nanos());
      }
    } catch (CancellationException c) {
      for (Execution e : live) {
        // every request was cancelled, or failed by shutdown
        metrics.finished(e.task(), e.state() == Execution.State.FAILED ? "failed" : "cancelled",
            Duration.ofNanos(System.nanoTime() - start), null);
        e.fail(c);
      }
    } catch (NotFiniteException diverged) {
      LOG.warn("{} on model '{}' diverged: {}", first.kind().id(), first.model().name(), diverged.getMessage());
      ServeException answer = new ServeException(ServeException.Kind.DIVERGED, "model '" + first.model().name()
          + "': " + diverged.getMessage() + "; its score is not usable for this input at these tolerances");
      for (Execution e : live) {
        metrics.finished(e.task(), "failed", Duration.ofNanos(System.nanoTime() - start), null);
        e.fail(answer);
      }
    } catch (RuntimeException | Error err) {
      LOG.error("{} on model '{}' failed", first.kind().id(), first.model().name(), err);
      for (Execution e : live) {
        metrics.finished(e.task(), "failed", Duration.ofNanos(System.nanoTime() - start), null);
        e.fail(err);
      }
    }
  }

  private static ServeException shuttingDown() {
    return new ServeException(ServeException.Kind.SHUTTING_DOWN, "the server is shutting down before this request "
        + "finished; send it again (another replica will take it)", 1);
  }

  /** Whether every worker thread has ended (after {@link #close()}). */
  boolean stopped() {
    return workers.stream().noneMatch(Thread::isAlive);
  }

  /**
   * Refuses new tasks and fails the queued and running ones ({@link ServeException.Kind#SHUTTING_DOWN}: 503 with
   * Retry-After: 1), so that their callers are answered and their event streams end while the web server can still
   * send: the first step of shutdown, before the server stops taking connections ({@link InferenceShutdown}). A running
   * batch stops at its next step. Idempotent.
   */
  public void shutdown() {
    running = false;
    synchronized (queue) {
      queue.forEach(e -> e.fail(shuttingDown()));
      queue.clear();
      queue.notifyAll();
    }
    inFlight.forEach(e -> e.fail(shuttingDown()));
  }

  /**
   * {@link #shutdown()}, then waits (up to {@link #SHUTDOWN_WAIT}) for the workers to stop, so that no batch is still
   * computing when the registry closes the models' tensors after this (it is destroyed after its dependants).
   */
  @Override
  public void close() {
    shutdown();
    workers.forEach(Thread::interrupt);
    long until = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
    for (Thread t : workers) {
      try {
        t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        LOG.warn("{} still running {} s after shutdown began", t.getName(), SHUTDOWN_WAIT.toSeconds());
      }
    }
  }
}
