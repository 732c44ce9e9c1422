package dev.scoresde.serve.task;

import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.tensor.ValueRange;
import java.util.List;

/**
 * What an operation produced, off the device: images in the model's value range, each (channels, size,
 * size) flattened, latents (each of the model's dimension), and its {@link Metadata}.
 */
public record OperationResult(String model, OperationKind operation, DataShape shape, ValueRange range,
    List<float[]> images, List<float[]> latents, Metadata metadata) {

  public OperationResult {
    images = images == null ? List.of() : images;
    latents = latents == null ? List.of() : latents;
  }
}
