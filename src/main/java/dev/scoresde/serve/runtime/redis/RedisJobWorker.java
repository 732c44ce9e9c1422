package dev.scoresde.serve.runtime.redis;

import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.runtime.Execution;
import dev.scoresde.serve.runtime.InferenceService;
import dev.scoresde.serve.runtime.JobsProperties;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.OperationResult;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's share of the queued jobs: while its inference workers have room it claims the oldest queued job
 * (a lease and a fencing token), rebuilds its operation and runs it on the local {@link InferenceService}; every
 * heartbeat it renews its leases, stops jobs cancelled elsewhere or lost, and puts lapsed leases of dead replicas
 * back in the queue. Progress is written at most once per poll interval; the result is written with the job's
 * completion in one script that checks the token, so a replica that lost its lease cannot complete the job.
 */
final class RedisJobWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisJobWorker.class);

  private final RedisJobs redis;
  private final InferenceService inference;
  private final ServeProperties props;
  private final JobsProperties.Redis timing;
  /** This replica in the jobs it claims: its name and a random suffix (a restarted pod is another worker). */
  private final String worker;
  private final Map<String, Claim> held = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "redis-job-worker");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running = true;

  /** A job this replica holds: its token and local execution. */
  private record Claim(String id, String token, Execution execution, long[] lastWrite) {}

  RedisJobWorker(RedisJobs redis, InferenceService inference, ServeProperties props, JobsProperties.Redis timing) {
    this.redis = redis;
    this.inference = inference;
    this.props = props;
    this.timing = timing;
    this.worker = timing.replica() + "/" + UUID.randomUUID().toString().substring(0, 8);
    timers.scheduleWithFixedDelay(this::claimWhileRoom, 0, timing.poll().toMillis(), TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::heartbeat, timing.heartbeat().toMillis(), timing.heartbeat().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Claims, once the models have loaded, as long as fewer jobs run here than there are inference workers. */
  private synchronized void claimWhileRoom() {
    try {
      while (running && inference.modelsLoaded() && held.size() < props.workers() && claimOne()) {
        // took one; look for another
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot claim jobs from Redis: {}", e.getMessage());
    }
  }

  private boolean claimOne() {
    RedisKeys k = redis.keys();
    List<?> c = redis.run(RedisScripts.CLAIM, List.of(k.queue(), k.leases()), k.prefix(), worker,
        timing.lease().toMillis());
    if (c == null || c.isEmpty()) {
      return false;
    }
    String id = c.get(0).toString();
    String token = c.get(1).toString();
    Execution e;
    try {
      Operation op = OperationCodec.decode(OperationKind.parse(c.get(2).toString()), c.get(3).toString());
      e = inference.submit(op);
    } catch (ServeException busy) {
      if (busy.kind() == ServeException.Kind.BUSY || busy.kind() == ServeException.Kind.UNAVAILABLE) {
        // the local queue is full of synchronous work, or the model is still loading here: another may take it
        redis.run(RedisScripts.RELEASE, List.of(k.job(id), k.queue()), k.prefix(), id, token);
        return false;
      }
      complete(id, token, "failed", busy.getMessage(), null);
      return true;
    } catch (RuntimeException invalid) {
      complete(id, token, "failed", invalid.getMessage(), null);
      return true;
    }
    LOG.debug("job {} claimed by {} (token {})", id, worker, token);
    Claim claim = new Claim(id, token, e, new long[] {0});
    held.put(id, claim);
    e.onProgress(p -> report(claim, p));
    e.result().whenComplete((r, t) -> finished(claim, r, t));
    return true;
  }

  /** Progress on the worker thread: written at most once per poll interval, and the answer read back. */
  private void report(Claim claim, SamplingListener.Progress p) {
    long now = System.nanoTime();
    if (now - claim.lastWrite()[0] < timing.poll().toNanos() && p.step() < p.totalSteps()) {
      return;
    }
    claim.lastWrite()[0] = now;
    renew(claim, p);
  }

  private void renew(Claim claim, SamplingListener.Progress p) {
    RedisKeys k = redis.keys();
    List<String> keys = List.of(k.job(claim.id()), k.leases());
    long lease = timing.lease().toMillis();
    String answer;
    try {
      answer = p == null ? redis.run(RedisScripts.RENEW, keys, claim.id(), claim.token(), lease)
          : redis.run(RedisScripts.RENEW, keys, claim.id(), claim.token(), lease, p.step(), p.totalSteps(), p.nfe(),
              p.t());
    } catch (RuntimeException unreachable) {
      return; // the heartbeat keeps trying; the lease decides
    }
    if (answer.equals("cancelled")) {
      claim.execution().cancel("cancelled by the client");
    } else if (!answer.equals("running")) {
      claim.execution().cancel("this replica lost the job's lease (" + answer + ")");
    }
  }

  private void finished(Claim claim, OperationResult r, Throwable t) {
    held.remove(claim.id());
    if (!running) {
      return; // released at shutdown: another replica runs it
    }
    try {
      if (t == null) {
        complete(claim.id(), claim.token(), "succeeded", "", ResultCodec.encode(r));
      } else {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (!(cause instanceof CancellationException)) { // a cancelled job is already marked so in Redis
          complete(claim.id(), claim.token(), "failed", String.valueOf(cause.getMessage()), null);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot record the end of job {} in Redis ({}); its lease will lapse and it will run again",
          claim.id(), e.getMessage());
    }
    timers.execute(this::claimWhileRoom);
  }

  private void complete(String id, String token, String outcome, String error, byte[] result) {
    RedisKeys k = redis.keys();
    Long done = redis.run(RedisScripts.COMPLETE, List.of(k.job(id), k.result(id)), k.prefix(), id, token, outcome,
        error, props.jobRetention().toMillis(), result == null ? new byte[0] : result);
    if (done == null || done != 1) {
      LOG.info("job {} ended here but was cancelled or taken over meanwhile; its outcome is dropped", id);
    }
  }

  private void heartbeat() {
    try {
      held.values().forEach(c -> renew(c, null));
      RedisKeys k = redis.keys();
      Long requeued = redis.run(RedisScripts.REQUEUE, List.of(k.leases(), k.queue()), k.prefix());
      if (requeued != null && requeued > 0) {
        LOG.warn("{} job(s) whose replica stopped renewing its lease were queued again", requeued);
      }
    } catch (RuntimeException e) {
      LOG.warn("job heartbeat failed: {}", e.getMessage());
    }
  }

  /** Stops claiming and gives held jobs back to the queue, before the inference service fails them. */
  @Override
  public void close() {
    running = false;
    timers.shutdownNow();
    RedisKeys k = redis.keys();
    for (Claim c : held.values()) {
      try {
        redis.run(RedisScripts.RELEASE, List.of(k.job(c.id()), k.queue()), k.prefix(), c.id(), c.token());
      } catch (RuntimeException e) {
        LOG.warn("cannot give job {} back to the queue ({}); its lease will lapse", c.id(), e.getMessage());
      }
      c.execution().cancel("this replica is shutting down; the job is queued again");
    }
  }
}
