/**
 * The queue and its workers: {@link dev.scoresde.serve.runtime.InferenceService} (bounded queue, micro-batching,
 * cancellation, shutdown), {@link dev.scoresde.serve.runtime.Execution} (one submitted task's state and progress),
 * {@link dev.scoresde.serve.runtime.JobService} (async jobs), metrics and the beans that wire them.
 */
package dev.scoresde.serve.runtime;
