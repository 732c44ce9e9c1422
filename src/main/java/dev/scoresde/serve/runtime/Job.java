package dev.scoresde.serve.runtime;

import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.serve.OperationKind;
import java.time.Instant;

/**
 * What a client sees of an asynchronous job, whichever {@link JobStore} holds it: a snapshot, not a handle.
 *
 * @param owner the opaque client the job is counted against (the API's key name or client address)
 * @param finished when it ended, or null
 * @param progress the latest progress, or null before the first step
 * @param error why it failed or was cancelled, else null
 */
public record Job(String id, OperationKind operation, String model, String owner, Instant created, Instant finished,
    Execution.State state, SamplingListener.Progress progress, String error) {

  /** Succeeded, failed or cancelled: nothing changes any more. */
  public boolean ended() {
    return state == Execution.State.SUCCEEDED || state == Execution.State.FAILED
        || state == Execution.State.CANCELLED;
  }
}
