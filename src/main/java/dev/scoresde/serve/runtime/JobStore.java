package dev.scoresde.serve.runtime;

import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.task.Operation;
import dev.scoresde.serve.task.OperationResult;
import java.util.concurrent.CompletionStage;

/**
 * Where asynchronous jobs live: {@link MemoryJobStore} in this process (the default), or
 * {@code serve.runtime.redis.RedisJobStore} shared by every replica ({@code score-sde.jobs.store=redis}). The table
 * is bounded as a whole ({@code score-sde.serve.max-jobs}) and per client ({@code max-jobs-per-client}), finished
 * jobs and their results expire after {@code score-sde.serve.job-retention}. Unknown or expired ids are
 * {@link ServeException.Kind#NOT_FOUND}.
 */
public interface JobStore {

  /**
   * Validates and queues the operation as a job of {@code owner}.
   *
   * @throws dev.scoresde.serve.InvalidRequestException for a bad parameter
   * @throws ServeException BUSY when the table or the owner's share of it is full (with a computed Retry-After)
   */
  Job submit(Operation op, String owner);

  Job get(String id);

  /** A succeeded job's result, read when asked for (null for a job that has not succeeded). */
  OperationResult result(String id);

  /** Cancels a queued or running job (no effect on an ended one) and returns its snapshot. */
  Job cancel(String id);

  /**
   * Streams a job's progress and then its end to {@code listener} (at once for an ended job). Close the returned
   * watch to stop early.
   */
  Watch watch(String id, JobListener listener);

  /** Completes when the job ends: with its result if it succeeded, else with null. */
  CompletionStage<OperationResult> completion(String id);

  /** A registration of a {@link JobListener}. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }
}
