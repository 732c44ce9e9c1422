package dev.scoresde.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scoresde.serve.ImageCodec;
import dev.scoresde.serve.task.Metadata;
import dev.scoresde.serve.model.ModelDescription;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ServedModel;
import dev.scoresde.serve.task.OperationResult;
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
          {"model": "patterns", "sampler": "pc", "steps": 500, "nfe": 500, "seed": 42, "wallTimeMs": 120}""",
          implementation = Map.class) Metadata metadata) {

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
      @Schema(implementation = Map.class) ModelDescription.SdeFacts sde,
      @Schema(implementation = Map.class) ModelDescription.ShapeFacts shape,
      List<Double> valueRange,
      List<String> classNames,
      List<String> operations,
      @Schema(implementation = Map.class) ModelDescription.SamplerDefaults samplerDefaults,
      @Schema(implementation = Map.class) ModelDescription.Allowed allowed,
      Map<String, Object> details) {

    /** A registry entry: its status, and for a ready model the description its owners give. */
    static Model of(ModelRegistry.Entry e, ServeProperties props) {
      String status = e.status().name().toLowerCase(java.util.Locale.ROOT);
      ServedModel m = e.model();
      if (m == null) {
        return new Model(e.name(), e.kind(), status, e.error(), null, null, null, null, null, null, null, null, null);
      }
      return new Model(e.name(), e.kind(), status, null, m.description(), ModelDescription.SdeFacts.of(m.sde()),
          ModelDescription.ShapeFacts.of(m.shape()), List.of(m.range().min(), m.range().max()), m.classNames(),
          m.operations().stream().map(OperationKind::id).toList(), ModelDescription.SamplerDefaults.of(m, props),
          ModelDescription.Allowed.of(m, props), m.details());
    }
  }

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
