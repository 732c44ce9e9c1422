package dev.scoresde.api;

import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.serve.runtime.Execution;
import dev.scoresde.serve.runtime.JobService;
import dev.scoresde.serve.task.OperationResult;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/** Jobs as JSON. */
final class JobViews {
  private JobViews() {}

  static Responses.Job of(JobService.Job job, boolean withResult) {
    Execution e = job.execution();
    Responses.Result result = null;
    String error = null;
    if (e.result().isDone()) {
      try {
        OperationResult r = e.result().getNow(null);
        result = withResult && r != null ? Responses.Result.of(r) : null;
      } catch (CompletionException | java.util.concurrent.CancellationException ex) {
        Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        error = e.state() == Execution.State.CANCELLED && e.cancelReason() != null ? e.cancelReason()
            : cause.getMessage();
      }
    }
    return new Responses.Job(job.id(), e.state().name().toLowerCase(Locale.ROOT), job.operation().id(), job.model(),
        job.created().toString(), job.finished() == null ? null : job.finished().toString(), progress(e.progress()),
        result, error);
  }

  static Responses.Progress progress(SamplingListener.Progress p) {
    return p == null ? null : new Responses.Progress(p.step(), p.totalSteps(), p.nfe(), p.t());
  }
}
