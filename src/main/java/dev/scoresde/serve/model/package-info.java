/**
 * Model loading: the configured models ({@link dev.scoresde.serve.model.ModelsProperties}), loaded in the background
 * by the {@link dev.scoresde.serve.model.ModelRegistry} from checkpoints or built as analytic mixtures, each a
 * {@link dev.scoresde.serve.model.ServedModel} with its sampler defaults and its description for GET /v1/models.
 */
package dev.scoresde.serve.model;
