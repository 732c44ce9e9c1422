package dev.scoresde.api;

import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.serve.runtime.Job;
import dev.scoresde.serve.task.OperationResult;
import java.util.Locale;

/** Jobs as JSON. */
final class JobViews {
  private JobViews() {}

  /** A job's snapshot, with its result when given (a succeeded job's, read from the store on demand). */
  static Responses.Job of(Job job, OperationResult result) {
    return new Responses.Job(job.id(), job.state().name().toLowerCase(Locale.ROOT), job.operation().id(), job.model(),
        job.created().toString(), job.finished() == null ? null : job.finished().toString(), progress(job.progress()),
        result == null ? null : Responses.Result.of(result), job.error());
  }

  static Responses.Progress progress(SamplingListener.Progress p) {
    return p == null ? null : new Responses.Progress(p.step(), p.totalSteps(), p.nfe(), p.t());
  }
}
