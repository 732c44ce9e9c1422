package dev.scoresde.serve.runtime;

import dev.scoresde.sampling.SamplingListener;

/** A watcher of one job: progress while it runs, then its final snapshot once. Must not block. */
public interface JobListener {

  void progress(SamplingListener.Progress progress);

  /** Called exactly once, with the job succeeded, failed or cancelled. */
  void ended(Job job);
}
