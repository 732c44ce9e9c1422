/**
 * Per-operation tasks: an {@link dev.scoresde.serve.task.Operation} as the client gave it becomes a validated
 * {@link dev.scoresde.serve.task.Task} in one place ({@link dev.scoresde.serve.task.Task#of}); sampling and editing
 * tasks can share a batch, flow tasks run alone; each returns an
 * {@link dev.scoresde.serve.task.OperationResult} with typed {@link dev.scoresde.serve.task.Metadata}.
 */
package dev.scoresde.serve.task;
