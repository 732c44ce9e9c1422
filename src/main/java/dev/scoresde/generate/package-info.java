/**
 * Bulk generation as a batch job (the {@code generate} profile): shard i of n of a fixed, seeded set of samples,
 * written atomically to a folder, so that n processes (a Kubernetes Indexed Job) share the work and their union
 * equals one run of all samples.
 */
package dev.scoresde.generate;
