package dev.scoresde.serve.runtime;

import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.OperationResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Jobs of one process ({@code score-sde.jobs.store=memory}, the default): each an {@link Execution} of this
 * process's {@link InferenceService} with an id, kept until {@code jobRetention} after it finished, within the
 * bounds of {@link JobAdmission}.
 */
public final class MemoryJobStore implements JobStore {
  private final InferenceService inference;
  private final ServeProperties props;
  private final Clock clock;
  private final Map<String, Entry> jobs = new ConcurrentHashMap<>();

  /**
   * A job's fixed facts and its execution; {@code finished} is set when the execution completes, and then
   * {@code ended} completes (with the result, or null), so whoever sees the job end sees its end time.
   */
  private record Entry(String id, dev.scoresde.serve.OperationKind kind, String model, String owner, Instant created,
      Execution execution, AtomicReference<Instant> finished, CompletableFuture<OperationResult> ended) {
    Instant expiry(ServeProperties props) {
      Instant f = finished.get();
      return f == null ? null : f.plus(props.jobRetention());
    }
  }

  public MemoryJobStore(InferenceService inference, ServeProperties props, Clock clock) {
    this.inference = inference;
    this.props = props;
    this.clock = clock;
  }

  @Override
  public Job submit(Operation op, String owner) {
    Objects.requireNonNull(owner, "owner");
    synchronized (jobs) { // admission and insertion as one step, so concurrent submissions cannot overfill a share
      Instant now = clock.instant();
      jobs.values().removeIf(e -> e.expiry(props) != null && !e.expiry(props).isAfter(now));
      admission(owner).check(props.maxJobs(), props.maxJobsPerClient(), props.jobRetention(), now);
      Execution e = inference.submit(op);
      AtomicReference<Instant> finished = new AtomicReference<>();
      CompletableFuture<OperationResult> ended = e.result().handle((r, t) -> {
        finished.set(clock.instant());
        return r;
      });
      Entry entry = new Entry(UUID.randomUUID().toString(), op.kind(), op.model(), owner, now, e, finished, ended);
      jobs.put(entry.id(), entry);
      return snapshot(entry);
    }
  }

  private JobAdmission admission(String owner) {
    Comparator<Instant> order = Comparator.naturalOrder();
    Instant first = jobs.values().stream().map(e -> e.expiry(props)).filter(Objects::nonNull).min(order).orElse(null);
    int mine = 0;
    Instant myFirst = null;
    for (Entry e : jobs.values()) {
      if (e.owner().equals(owner)) {
        mine++;
        Instant x = e.expiry(props);
        myFirst = x == null || (myFirst != null && myFirst.isBefore(x)) ? myFirst : x;
      }
    }
    return new JobAdmission(jobs.size(), first, mine, myFirst);
  }

  @Override
  public Job get(String id) {
    return snapshot(entry(id));
  }

  @Override
  public OperationResult result(String id) {
    Execution e = entry(id).execution();
    return e.state() == Execution.State.SUCCEEDED ? e.result().getNow(null) : null;
  }

  @Override
  public Job cancel(String id) {
    Entry entry = entry(id);
    entry.execution().cancel("cancelled by the client");
    return snapshot(entry);
  }

  @Override
  public Watch watch(String id, JobListener listener) {
    Entry entry = entry(id);
    Execution e = entry.execution();
    Consumer<dev.scoresde.sampling.SamplingListener.Progress> progress = listener::progress;
    e.onProgress(progress);
    if (e.progress() != null && !e.isDone()) {
      listener.progress(e.progress());
    }
    entry.ended().whenComplete((r, t) -> {
      e.removeProgressListener(progress);
      listener.ended(snapshot(entry));
    });
    return () -> e.removeProgressListener(progress);
  }

  @Override
  public CompletionStage<OperationResult> completion(String id) {
    return entry(id).ended();
  }

  private Entry entry(String id) {
    Entry e = id == null ? null : jobs.get(id);
    Instant expiry = e == null ? null : e.expiry(props);
    if (e == null || (expiry != null && !expiry.isAfter(clock.instant()))) {
      throw new ServeException(ServeException.Kind.NOT_FOUND, "unknown job '" + id + "' (finished jobs expire after "
          + props.jobRetention() + ")");
    }
    return e;
  }

  private Job snapshot(Entry entry) {
    Execution e = entry.execution();
    String error = null;
    if (e.isDone()) {
      CompletableFuture<OperationResult> r = e.result();
      try {
        r.getNow(null);
      } catch (CompletionException | CancellationException ex) {
        Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        error = e.state() == Execution.State.CANCELLED && e.cancelReason() != null ? e.cancelReason()
            : cause.getMessage();
      }
    }
    Instant finished = entry.finished().get();
    if (finished == null && e.isDone()) {
      finished = clock.instant(); // the completion callback is about to set it
    }
    return new Job(entry.id(), entry.kind(), entry.model(), entry.owner(), entry.created(), finished,
        e.state(), e.progress(), error);
  }
}
