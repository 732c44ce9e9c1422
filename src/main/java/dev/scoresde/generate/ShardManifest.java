package dev.scoresde.generate;

import dev.scoresde.sampling.settings.SamplerFields;
import java.util.List;

/**
 * {@code manifest.json} of a finished shard, written last: its presence marks the shard complete.
 *
 * @param run what identifies the run the shard belongs to (a rerun must match it)
 * @param shard this shard's index
 * @param first index of the first sample
 * @param end one past the last sample
 * @param files the files written, by sample order
 * @param nfe score-model evaluations spent, summed over the shard's batches
 * @param wallTimeSeconds time spent sampling and writing
 * @param finishedAt ISO-8601 instant
 */
public record ShardManifest(Run run, int shard, int first, int end, List<String> files, long nfe,
    double wallTimeSeconds, String finishedAt) {

  /**
   * @param model the model's name (model card)
   * @param modelFolder the checkpoint folder that was loaded
   * @param modelSteps training steps of that checkpoint
   * @param count total samples of the run
   * @param batchSize samples per batch
   * @param shards number of shards
   * @param seed the run's seed: sample k draws from stream (seed, k)
   * @param classLabel the fixed class, or null (class-conditional models then cycle k mod K)
   * @param sampler the sampler settings by their API names ({@link dev.scoresde.sampling.settings.SamplerSettings#fields})
   */
  public record Run(String model, String modelFolder, long modelSteps, int count, int batchSize, int shards, long seed,
      Integer classLabel, SamplerFields sampler) {}
}
