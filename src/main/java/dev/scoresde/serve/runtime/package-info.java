/**
 * The queue and its workers: {@link dev.scoresde.serve.runtime.InferenceService} (bounded queue, micro-batching,
 * cancellation, shutdown), {@link dev.scoresde.serve.runtime.Execution} (one submitted task's state and progress),
 * {@link dev.scoresde.serve.runtime.JobStore} (async jobs: {@link dev.scoresde.serve.runtime.MemoryJobStore} here, or
 * shared through serve.runtime.redis), {@link dev.scoresde.serve.runtime.JobAdmission} (the job table's bounds), metrics
 * and the beans that wire them.
 */
package dev.scoresde.serve.runtime;
