package dev.scoresde.train.job;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a failed training job as its message and the action to take, instead of a stack trace. */
public final class TrainingFailureAnalyzer extends AbstractFailureAnalyzer<TrainingJobException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TrainingJobException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action() + " (exit code " + cause.getExitCode() + ")",
        cause);
  }
}
