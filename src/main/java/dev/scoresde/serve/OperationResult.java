package dev.scoresde.serve;

import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.util.List;
import java.util.Map;

/**
 * What an operation produced, off the device: images in the model's value range, each (channels, size,
 * size) flattened, latents (each of the model's dimension), and metadata by name (model, sampler, steps,
 * NFE, seed, wall time, bits/dim…) in the order the API shows them.
 */
public record OperationResult(String model, OperationKind operation, DataShape shape, ValueRange range,
    List<float[]> images, List<float[]> latents, Map<String, Object> metadata) {

  public OperationResult {
    images = images == null ? List.of() : images;
    latents = latents == null ? List.of() : latents;
  }
}
