package dev.scoresde.train;

/** The checkpoint folder holds a run that this job must not continue (resume: false). */
public final class CheckpointConflictException extends IllegalStateException {

  public CheckpointConflictException(String message) {
    super(message);
  }
}
