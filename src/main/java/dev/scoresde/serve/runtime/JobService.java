package dev.scoresde.serve.runtime;

import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.task.Operation;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asynchronous jobs: an execution with an id, kept until {@code jobRetention} after it finished. The table
 * is bounded ({@code maxJobs}); when it is full of unfinished or unexpired jobs new ones are refused (429).
 */
public final class JobService {
  private final InferenceService inference;
  private final ServeProperties props;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();

  /**
   * @param id the job's id (a UUID)
   * @param operation what it does
   * @param model on which model
   * @param created when it was submitted
   * @param execution its state, progress and result
   */
  public record Job(String id, OperationKind operation, String model, Instant created, Execution execution,
      AtomicReference<Instant> finishedAt) {
    /** When it finished, or null. */
    public Instant finished() {
      return finishedAt.get();
    }
  }

  public JobService(InferenceService inference, ServeProperties props) {
    this.inference = inference;
    this.props = props;
  }

  public Job create(Operation op) {
    purge();
    if (jobs.size() >= props.maxJobs()) {
      throw new ServeException(ServeException.Kind.BUSY, "the job table is full (" + jobs.size() + " jobs)", 30);
    }
    Execution e = inference.submit(op);
    Job job = new Job(UUID.randomUUID().toString(), op.kind(), op.model(), Instant.now(), e, new AtomicReference<>());
    jobs.put(job.id(), job);
    e.result().whenComplete((r, t) -> job.finishedAt().set(Instant.now()));
    return job;
  }

  public Job get(String id) {
    Job j = jobs.get(id);
    if (j == null) {
      throw new ServeException(ServeException.Kind.NOT_FOUND, "unknown job '" + id + "' (finished jobs expire after "
          + props.jobRetention() + ")");
    }
    return j;
  }

  public Job cancel(String id) {
    Job j = get(id);
    j.execution().cancel("cancelled by the client");
    return j;
  }

  private void purge() {
    Instant cutoff = Instant.now().minus(props.jobRetention());
    jobs.values().removeIf(j -> j.finished() != null && j.finished().isBefore(cutoff));
  }
}
