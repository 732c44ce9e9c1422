package dev.scoresde.generate;

/**
 * Which samples shard {@code shard} of {@code shards} produces. The {@code count} samples are cut into
 * batches of {@code batchSize} (the last may be shorter) at fixed global positions, and each shard takes a
 * contiguous run of whole batches: shard i gets batches ⌊i·B/n⌋ … ⌊(i+1)·B/n⌋ − 1 of B. Every batch is thus
 * computed with the same members whatever the number of shards, so (with per-sample noise streams) the union of
 * the shards is bit-identical to one run of all samples, even for solvers whose steps depend on the whole batch
 * (the adaptive ODE solver).
 *
 * @param count total samples of the run, ≥ 1
 * @param batchSize samples per batch, ≥ 1
 * @param shards number of shards, ≥ 1 (a shard may be empty when there are more shards than batches)
 * @param shard this shard's index, 0 ≤ shard < shards
 */
public record ShardPlan(int count, int batchSize, int shards, int shard) {

  public ShardPlan {
    if (count < 1 || batchSize < 1 || shards < 1) {
      throw new IllegalArgumentException(
          "count, batch size and shards must be ≥ 1, got " + count + ", " + batchSize + ", " + shards);
    }
    if (shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard must be in [0, " + shards + "), got " + shard);
    }
  }

  /** B, the number of batches of the whole run. */
  public int batches() {
    return (count + batchSize - 1) / batchSize;
  }

  public int firstBatch() {
    return (int) ((long) shard * batches() / shards);
  }

  /** One past this shard's last batch. */
  public int endBatch() {
    return (int) ((long) (shard + 1) * batches() / shards);
  }

  /** Index of this shard's first sample. */
  public int first() {
    return Math.min(count, firstBatch() * batchSize);
  }

  /** One past this shard's last sample. */
  public int end() {
    return Math.min(count, endBatch() * batchSize);
  }

  /** Global sample range [from, to) of batch b. */
  public int[] batchRange(int b) {
    return new int[] {b * batchSize, Math.min(count, (b + 1) * batchSize)};
  }

  /** The shard's folder name, e.g. shard-00003-of-00010. */
  public String folderName() {
    return String.format("shard-%05d-of-%05d", shard, shards);
  }
}
