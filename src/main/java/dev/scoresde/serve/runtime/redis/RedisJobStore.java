package dev.scoresde.serve.runtime.redis;

import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.runtime.InferenceService;
import dev.scoresde.serve.runtime.Job;
import dev.scoresde.serve.runtime.JobAdmission;
import dev.scoresde.serve.runtime.JobListener;
import dev.scoresde.serve.runtime.JobStore;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.OperationResult;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Jobs in a Redis shared by every replica ({@code score-sde.jobs.store=redis}): any replica submits, reports,
 * streams, cancels and serves the result of any job; {@link RedisJobWorker}s on every replica take queued jobs.
 * Results live in Redis until they expire and are read only when asked for.
 */
public final class RedisJobStore implements JobStore {
  private final RedisJobs redis;
  private final Consumer<Operation> validate;
  private final ServeProperties props;
  private final RedisJobWatcher watcher;

  /** @param validate checks an operation as {@link InferenceService#validate} does (throws for a bad one) */
  RedisJobStore(RedisJobs redis, Consumer<Operation> validate, ServeProperties props, RedisJobWatcher watcher) {
    this.redis = redis;
    this.validate = validate;
    this.props = props;
    this.watcher = watcher;
  }

  @Override
  public Job submit(Operation op, String owner) {
    validate.accept(op); // a bad request is the submitter's 400, not a failed job on another replica
    String id = UUID.randomUUID().toString();
    RedisKeys k = redis.keys();
    List<?> r = redis.run(RedisScripts.SUBMIT, List.of(k.job(id), k.table(), k.owner(owner), k.queue()), id,
        op.kind().id(), op.model(), owner, OperationCodec.encode(op), props.maxJobs(), props.maxJobsPerClient());
    Instant now = Instant.ofEpochMilli(Long.parseLong(r.get(1).toString()));
    if (!"1".equals(r.get(0).toString())) {
      new JobAdmission(Integer.parseInt(r.get(2).toString()), expiry(r.get(3)), Integer.parseInt(r.get(4).toString()),
          expiry(r.get(5))).check(props.maxJobs(), props.maxJobsPerClient(), props.jobRetention(), now);
      throw new IllegalStateException("refused without a bound passed: " + r);
    }
    return new Job(id, op.kind(), op.model(), owner, now, null, dev.scoresde.serve.runtime.Execution.State.QUEUED,
        null, null);
  }

  /** A score of the table: the expiry of a finished job, or null for an unfinished one (+inf) or none. */
  private static Instant expiry(Object score) {
    String s = score.toString();
    return s.isEmpty() || s.contains("inf") ? null : Instant.ofEpochMilli((long) Math.ceil(Double.parseDouble(s)));
  }

  @Override
  public Job get(String id) {
    Job j = id == null ? null : redis.snapshot(id);
    if (j == null) {
      throw new ServeException(ServeException.Kind.NOT_FOUND, "unknown job '" + id + "' (finished jobs expire after "
          + props.jobRetention() + ")");
    }
    return j;
  }

  @Override
  public OperationResult result(String id) {
    byte[] stored = redis.bytes(redis.keys().result(id));
    return stored == null ? null : ResultCodec.decode(stored);
  }

  @Override
  public Job cancel(String id) {
    get(id);
    redis.run(RedisScripts.CANCEL, List.of(redis.keys().job(id)), redis.keys().prefix(), id,
        "cancelled by the client", props.jobRetention().toMillis());
    return get(id);
  }

  @Override
  public Watch watch(String id, JobListener listener) {
    return watcher.watch(get(id), listener);
  }

  /** Completes with the result's metadata alone (no images: the quota only counts NFE and time). */
  @Override
  public CompletionStage<OperationResult> completion(String id) {
    CompletableFuture<OperationResult> done = new CompletableFuture<>();
    watcher.watch(get(id), new JobListener() {
      @Override
      public void progress(dev.scoresde.sampling.SamplingListener.Progress p) {}

      @Override
      public void ended(Job job) {
        try {
          done.complete(job.state() == dev.scoresde.serve.runtime.Execution.State.SUCCEEDED ? metadata(id) : null);
        } catch (RuntimeException e) {
          done.complete(null);
        }
      }
    });
    return done;
  }

  private OperationResult metadata(String id) {
    String key = redis.keys().result(id);
    byte[] length = redis.range(key, 0, 3);
    if (length == null || length.length < 4) {
      return null;
    }
    return ResultCodec.metadataOnly(redis.range(key, 4, 3 + ResultCodec.headerLength(length)));
  }
}
