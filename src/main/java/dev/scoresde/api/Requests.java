package dev.scoresde.api;

import dev.scoresde.serve.task.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The JSON bodies of the operations (also the multipart forms' fields). */
final class Requests {
  private Requests() {}

  static final String TIME_GRID = "fast solvers' time grid: uniform, quadratic, log-snr, karras (default: log-snr for"
      + " dpm-solver++, karras for heun, quadratic for ddim); the other samplers walk a uniform grid";
  static final String ETA = "DDIM's η in [0, 1]: 0 deterministic, 1 ancestral-like (sampler ddim only)";
  static final String CHURN = "Heun's S_churn in [0, 100]: 0 deterministic (sampler heun only)";
  static final String MEASUREMENT_GUIDANCE = "measurement-guidance weight w in [0, limits.max-guidance]: the known part also "
      + "steers every step through the denoised estimate (0 = the paper's replacement alone; default: the model's)";
  static final String TEMPERATURE = "scale τ of the prior draw x(T), (0, 2]; 1 samples the model";

  @Schema(description = "Draw images from the model (optionally of one class). Fields left out get the model's "
      + "measured best (GET /v1/models/{name}, \"samplerDefaults\"); name a sampler, e.g. \"pc\", for the paper's.",
      example = """
      {"n": 4, "classLabel": "checker", "seed": 42}""")
  record Sample(
      @Schema(description = "number of images", example = "4", defaultValue = "1") Integer n,
      @Schema(description = "pc, ode, euler-maruyama, reverse-diffusion, ancestral, dpm-solver++2m, dpm-solver++3m,"
          + " sde-dpm-solver++2m, unipc, unipc-3m, heun, ddim (see GET /v1/models/{name})", example = "pc") String sampler,
      @Schema(description = "predictor steps N of the PC samplers; solver steps of the fast solvers",
          example = "500") Integer steps,
      @Schema(description = "PC predictor: euler-maruyama, reverse-diffusion, ancestral, none") String predictor,
      @Schema(description = "PC corrector: langevin, annealed-langevin, none", example = "langevin") String corrector,
      @Schema(description = "corrector signal-to-noise ratio r", example = "0.16") Double snr,
      @Schema(description = "corrector steps per noise level", example = "1") Integer correctorSteps,
      @Schema(description = "ODE relative tolerance", example = "0.00001") Double rtol,
      @Schema(description = "ODE absolute tolerance", example = "0.00001") Double atol,
      @Schema(description = TIME_GRID, example = "log-snr") String timeGrid,
      @Schema(description = ETA, example = "0.0") Double eta,
      @Schema(description = CHURN, example = "0.0") Double churn,
      @Schema(description = TEMPERATURE, example = "1.0") Double temperature,
      @Schema(description = "random seed (0..2^53); drawn at random when absent", example = "42") Long seed,
      @Schema(description = "class id or name (class-conditional models)", example = "checker") String classLabel,
      @Schema(description = "guidance weight w (classifier-free, default 0) or scale (classifier, default 1)",
          example = "1.0") Double guidance,
      @Schema(description = "classifier-free or classifier", example = "classifier-free") String guidanceMode)
      implements SamplerParameters {
    Operation toOperation(String model) {
      return new Operation.Sample(model, n, toSamplerFields(), seed, classLabel, guidance, guidanceMode);
    }
  }

  @Schema(description = "Fill in the unknown part of an image.")
  record Inpaint(
      @Schema(description = "the image, base64 PNG of the model's size", requiredMode = Schema.RequiredMode.REQUIRED)
      String image,
      @Schema(description = "the mask, base64 PNG of the same size: white = known, black = fill in",
          requiredMode = Schema.RequiredMode.REQUIRED) String mask,
      @Schema(example = "4") Integer n, String sampler, Integer steps, String predictor, String corrector, Double snr,
      Integer correctorSteps, Double rtol, Double atol,
      @Schema(description = TIME_GRID, example = "log-snr") String timeGrid,
      @Schema(description = ETA, example = "0.0") Double eta,
      @Schema(description = CHURN, example = "0.0") Double churn,
      @Schema(description = TEMPERATURE, example = "1.0") Double temperature, @Schema(example = "42") Long seed,
      @Schema(description = MEASUREMENT_GUIDANCE, example = "0.03") Double guidance)
      implements SamplerParameters {
    Operation toOperation(String model) {
      return new Operation.Inpaint(model, Base64Images.decode("image", image), Base64Images.decode("mask", mask), n,
          toSamplerFields(), seed, guidance);
    }
  }

  @Schema(description = "Colour a gray image (a colour image is converted to gray first).")
  record Colorize(
      @Schema(description = "the image, base64 PNG of the model's size", requiredMode = Schema.RequiredMode.REQUIRED)
      String image,
      @Schema(example = "4") Integer n, String sampler, Integer steps, String predictor, String corrector, Double snr,
      Integer correctorSteps, Double rtol, Double atol,
      @Schema(description = TIME_GRID, example = "log-snr") String timeGrid,
      @Schema(description = ETA, example = "0.0") Double eta,
      @Schema(description = CHURN, example = "0.0") Double churn,
      @Schema(description = TEMPERATURE, example = "1.0") Double temperature, @Schema(example = "42") Long seed,
      @Schema(description = MEASUREMENT_GUIDANCE, example = "0.03") Double guidance)
      implements SamplerParameters {
    Operation toOperation(String model) {
      return new Operation.Colorize(model, Base64Images.decode("image", image), n, toSamplerFields(), seed,
          guidance);
    }
  }

  @Schema(description = "Interpolate in the probability-flow latent space between two images or two seeds.",
      example = """
      {"seedA": 1, "seedB": 2, "frames": 8, "method": "slerp"}""")
  record Interpolate(
      @Schema(description = "first image, base64 PNG (with imageB)") String imageA,
      @Schema(description = "second image, base64 PNG") String imageB,
      @Schema(description = "seed of the first prior draw (with seedB)", example = "1") Long seedA,
      @Schema(description = "seed of the second prior draw", example = "2") Long seedB,
      @Schema(description = "frames including both ends", example = "8", defaultValue = "8") Integer frames,
      @Schema(description = "slerp or linear", example = "slerp", defaultValue = "slerp") String method,
      @Schema(description = "ODE relative tolerance", example = "0.00001") Double rtol,
      @Schema(description = "ODE absolute tolerance", example = "0.00001") Double atol) {
    Operation toOperation(String model) {
      return new Operation.Interpolate(model, Base64Images.decodeOptional("imageA", imageA),
          Base64Images.decodeOptional("imageB", imageB), seedA, seedB, frames, method, rtol, atol);
    }
  }

  @Schema(description = "Encode images to probability-flow latents.")
  record Encode(
      @Schema(description = "base64 PNG images of the model's size", requiredMode = Schema.RequiredMode.REQUIRED)
      List<String> images,
      @Schema(example = "0.00001") Double rtol, @Schema(example = "0.00001") Double atol) {
    Operation toOperation(String model) {
      return new Operation.Encode(model, Base64Images.decodeAll("images", images), rtol, atol);
    }
  }

  @Schema(description = "Decode probability-flow latents (as returned by encode) to images.")
  record Decode(
      @Schema(description = "latents, each with the model's dimension (channels × size × size) of values",
          requiredMode = Schema.RequiredMode.REQUIRED) List<float[]> latents,
      @Schema(example = "0.00001") Double rtol, @Schema(example = "0.00001") Double atol) {
    Operation toOperation(String model) {
      return new Operation.Decode(model, latents, rtol, atol);
    }
  }

  @Schema(description = "Bits per dimension of 8-bit images under the model.", example = """
      {"images": ["iVBORw0KGgo..."], "probes": 4, "estimator": "rademacher", "seed": 0}""")
  record Likelihood(
      @Schema(description = "base64 PNG images of the model's size", requiredMode = Schema.RequiredMode.REQUIRED)
      List<String> images,
      @Schema(description = "Hutchinson probes per image (standard error across them)", example = "4",
          defaultValue = "1") Integer probes,
      @Schema(description = "rademacher, gaussian or exact (dimension ≤ 64)", example = "rademacher") String estimator,
      @Schema(description = "seed of dequantization and probes", example = "0") Long seed,
      @Schema(example = "0.00001") Double rtol, @Schema(example = "0.00001") Double atol) {
    Operation toOperation(String model) {
      return new Operation.Likelihood(model, Base64Images.decodeAll("images", images), probes, estimator, seed, rtol,
          atol);
    }
  }

  /** Multipart form fields of inpaint and colorize besides the files. */
  record Form(Integer n, String sampler, Integer steps, String predictor, String corrector, Double snr,
      Integer correctorSteps, Double rtol, Double atol, String timeGrid, Double eta, Double churn, Double temperature,
      Long seed, Double guidance) implements SamplerParameters {}

}
