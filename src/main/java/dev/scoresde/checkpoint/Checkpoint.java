package dev.scoresde.checkpoint;

import ai.djl.ndarray.NDList;

/**
 * Everything one checkpoint folder holds.
 *
 * @param card the model card ({@code model.json})
 * @param ema the served (averaged) weights, arrays named by parameter ({@code ema.safetensors})
 * @param params the trained weights ({@code params.safetensors})
 * @param optimizer the optimizer's moments ({@code optimizer.safetensors})
 * @param state step, seed, loss history ({@code state.json})
 */
public record Checkpoint(ModelCard card, NDList ema, NDList params, NDList optimizer, TrainingState state) {}
