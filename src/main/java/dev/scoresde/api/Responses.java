package dev.scoresde.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scoresde.serve.ImageCodec;
import dev.scoresde.serve.OperationResult;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** The JSON bodies of answers. */
final class Responses {
  private Responses() {}

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @Schema(description = "An operation's result: images as base64 PNGs (or values for vector models), latents, "
      + "and metadata (model, sampler, steps, nfe, seed, wallTimeMs, and per-operation facts such as bitsPerDim).")
  record Result(
      @Schema(example = "patterns") String model,
      @Schema(example = "samples") String operation,
      @Schema(description = "base64 PNG images of the original (unpadded) size") List<String> images,
      @Schema(description = "raw values, (channels × size × size) each, for models of vector data") List<float[]> values,
      @Schema(description = "probability-flow latents (encode, interpolate)") List<float[]> latents,
      @Schema(description = "model, sampler, steps, nfe, seed, wallTimeMs, …", example = """
          {"model": "patterns", "sampler": "pc", "steps": 500, "nfe": 500, "seed": 42, "wallTimeMs": 120}""")
      Map<String, Object> metadata) {

    static Result of(OperationResult r) {
      boolean image = r.shape().isImage();
      List<String> images = image ? r.images().stream()
          .map(v -> Base64Images.encode(ImageCodec.png(v, r.shape(), r.range()))).toList() : List.of();
      return new Result(r.model(), r.operation().id(), images, image ? List.of() : r.images(), r.latents(),
          r.metadata());
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(description = "A served model: its SDE, data shape, value range, classes, operations and sampler settings.")
  record Model(
      @Schema(example = "patterns") String name,
      @Schema(example = "gaussian-mixture") String kind,
      @Schema(example = "ready") String status,
      String error,
      String description,
      Map<String, Object> sde,
      Map<String, Object> shape,
      List<Double> valueRange,
      List<String> classNames,
      List<String> operations,
      Map<String, Object> samplerDefaults,
      Map<String, Object> allowed,
      Map<String, Object> details) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(description = "An asynchronous job.")
  record Job(
      @Schema(example = "3f1c…") String id,
      @Schema(description = "queued, running, succeeded, failed or cancelled", example = "running") String status,
      @Schema(example = "samples") String operation,
      @Schema(example = "patterns") String model,
      String createdAt,
      String finishedAt,
      Progress progress,
      @Schema(description = "the result, once succeeded") Result result,
      @Schema(description = "why it failed or was cancelled") String error) {}

  @Schema(description = "Progress: steps (and NFE) done of the (estimated) total.")
  record Progress(@Schema(example = "120") int step, @Schema(example = "500") int totalSteps,
      @Schema(example = "120") int nfe, @Schema(example = "0.76") double t) {}
}
