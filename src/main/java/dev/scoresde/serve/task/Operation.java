package dev.scoresde.serve.task;

import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.OperationKind;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request to the inference core as the client gave it (raw image bytes, names, optional numbers).
 * {@link Task#of} checks it against the model and the limits — every mistake is an
 * {@link InvalidRequestException} naming the parameter — and returns the task to run.
 */
public sealed interface Operation {

  String model();

  OperationKind kind();

  /** Seeds are non-negative and at most 2^53 (exact in JSON numbers); a missing seed is drawn at random. */
  static long seed(Long seed) {
    if (seed == null) {
      return ThreadLocalRandom.current().nextLong(1L << 53);
    }
    if (seed < 0 || seed > (1L << 53)) {
      throw new InvalidRequestException("seed", "seed must be between 0 and 2^53, got " + seed);
    }
    return seed;
  }

  /**
   * @param n images to draw
   * @param sampler the sampler fields (null: the model's defaults)
   * @param classLabel a class id or name (class-conditional models), or null
   * @param guidance the guidance weight (classifier-free, default 0) or scale (classifier, default 1)
   * @param guidanceMode classifier-free (default where the model has a conditional score) or classifier
   */
  record Sample(String model, Integer n, SamplerFields sampler, Long seed, String classLabel, Double guidance,
      String guidanceMode) implements Operation {
    @Override
    public OperationKind kind() {
      return OperationKind.SAMPLES;
    }
  }

  /**
   * Inpainting: {@code mask} is white (≥ 128) where {@code image} is known, black where to fill in; {@code guidance}
   * the measurement-guidance weight (null: the model's default).
   */
  record Inpaint(String model, byte[] image, byte[] mask, Integer n, SamplerFields sampler, Long seed,
      Double guidance) implements Operation {
    @Override
    public OperationKind kind() {
      return OperationKind.INPAINT;
    }
  }

  /**
   * Colorization of a gray image (a colour one is converted to gray first). {@code guidance}, as for inpainting: the
   * measurement-guidance weight, null for the model's default.
   */
  record Colorize(String model, byte[] image, Integer n, SamplerFields sampler, Long seed, Double guidance)
      implements Operation {
    @Override
    public OperationKind kind() {
      return OperationKind.COLORIZE;
    }
  }

  /** Interpolation between two images (encoded) or two seeds (prior draws), {@code frames} points inclusive. */
  record Interpolate(String model, byte[] imageA, byte[] imageB, Long seedA, Long seedB, Integer frames,
      String method, Double rtol, Double atol) implements Operation {
    @Override
    public OperationKind kind() {
      return OperationKind.INTERPOLATE;
    }
  }

  /** Images → probability-flow latents. */
  record Encode(String model, List<byte[]> images, Double rtol, Double atol) implements Operation {
    @Override
    public OperationKind kind() {
      return OperationKind.ENCODE;
    }
  }

  /** Probability-flow latents (each of the model's dimension) → images. */
  record Decode(String model, List<float[]> latents, Double rtol, Double atol) implements Operation {
    @Override
    public OperationKind kind() {
      return OperationKind.DECODE;
    }
  }

  /**
   * Bits/dim of 8-bit images.
   *
   * @param probes Hutchinson probes per image (default 1)
   * @param estimator rademacher (default), gaussian or exact (small models only)
   */
  record Likelihood(String model, List<byte[]> images, Integer probes, String estimator, Long seed, Double rtol,
      Double atol) implements Operation {
    @Override
    public OperationKind kind() {
      return OperationKind.LIKELIHOOD;
    }
  }
}
