package dev.scoresde.train.job;

import org.springframework.boot.ExitCodeGenerator;

/** Why a training job cannot run or stopped, with the process exit code it maps to. */
public final class TrainingJobException extends RuntimeException implements ExitCodeGenerator {

  /** The failure classes and their exit codes. */
  public enum Kind {
    /** The run itself failed (e.g. the loss diverged). */
    FAILED(1, "Fix the cause above, then rerun the job; it resumes from the last checkpoint."),
    /** A configuration value is missing or invalid. */
    CONFIG(2, "Correct the score-sde.train settings of the job file."),
    /** The dataset is missing or unreadable. */
    DATA(3, "Install or point score-sde.train.data.path at the dataset."),
    /** The checkpoint folder holds another run (architecture, SDE, seed) or must not be resumed. */
    CHECKPOINT(4, "Use a new checkpoint folder, or configure the architecture the checkpoint was trained with.");

    final int exitCode;
    final String action;

    Kind(int exitCode, String action) {
      this.exitCode = exitCode;
      this.action = action;
    }
  }

  private final Kind kind;

  public TrainingJobException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public TrainingJobException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  public String action() {
    return kind.action;
  }

  @Override
  public int getExitCode() {
    return kind.exitCode;
  }
}
