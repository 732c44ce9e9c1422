package dev.scoresde.checkpoint;

/**
 * Where a model came from.
 *
 * @param dataset the training data's description
 * @param objective the loss (dsm, smld, ddpm, ssm, classifier) and its options, e.g. "dsm (sum, likelihood weighting)"
 * @param steps training steps done
 * @param batchSize examples per step
 * @param wallTimeSeconds training time so far, over all resumed sessions
 * @param finalLoss the mean loss of the last logged interval
 * @param createdAt ISO-8601 instant the checkpoint was written
 */
public record Provenance(String dataset, String objective, long steps, int batchSize, double wallTimeSeconds,
    double finalLoss, String createdAt) {}
