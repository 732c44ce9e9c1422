package dev.scoresde.serve;

import dev.scoresde.sampling.settings.SamplerFields;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The inference core's settings, bound from {@code score-sde.serve.*}; every field has a default.
 *
 * @param limits bounds on request parameters (violations are the client's mistake: 400)
 * @param batching micro-batching of compatible requests
 * @param queueCapacity tasks waiting to run before new ones are refused with 429
 * @param workers threads running tasks (each task uses all of libtorch's intra-op threads)
 * @param syncDeadline how long a synchronous request may run before it is cancelled
 * @param jobRetention how long a finished job's result stays available
 * @param maxJobs jobs held at once (finished ones included until they expire)
 * @param maxJobsPerClient jobs one client (API key, or client address without one) may hold at once, counted like
 *     {@code maxJobs}, so one client cannot fill the table for everyone
 * @param defaultSteps N of the PC samplers when a request does not set it
 */
@ConfigurationProperties(prefix = "score-sde.serve")
public record ServeProperties(Limits limits, Batching batching, Integer queueCapacity, Integer workers,
    Duration syncDeadline, Duration jobRetention, Integer maxJobs, Integer maxJobsPerClient, Integer defaultSteps) {

  public ServeProperties {
    limits = limits == null ? Limits.DEFAULT : limits;
    batching = batching == null ? new Batching(true, 16, Duration.ofMillis(5)) : batching;
    queueCapacity = positive(queueCapacity, 64, "queue-capacity");
    workers = positive(workers, 1, "workers");
    syncDeadline = syncDeadline == null ? Duration.ofMinutes(2) : syncDeadline;
    jobRetention = jobRetention == null ? Duration.ofMinutes(30) : jobRetention;
    maxJobs = positive(maxJobs, 1000, "max-jobs");
    maxJobsPerClient = positive(maxJobsPerClient, 100, "max-jobs-per-client");
    defaultSteps = positive(defaultSteps, 1000, "default-steps");
  }

  /** Steps of a fast solver when the request gives none: they reach the paper's PC quality in 15–20 (docs/solvers.md). */
  public static final int FAST_SOLVER_STEPS = 20;

  /** The sampler fields' bounds and default steps ({@link #defaultSteps} for the paper's samplers). */
  public SamplerFields.Limits samplerLimits() {
    return new SamplerFields.Limits(limits.maxSteps(), limits.maxSnr(), defaultSteps, FAST_SOLVER_STEPS);
  }

  public static ServeProperties defaults() {
    return new ServeProperties(null, null, null, null, null, null, null, null, null);
  }

  /**
   * @param maxN images per request (samples, inpaint, colorize)
   * @param maxSteps N of the PC samplers
   * @param maxFrames interpolation frames
   * @param maxImages images per encode, decode or likelihood request
   * @param maxProbes Hutchinson probes per image
   * @param maxSnr the corrector's signal-to-noise ratio
   * @param maxGuidance the guidance weight or scale
   */
  public record Limits(Integer maxN, Integer maxSteps, Integer maxFrames, Integer maxImages, Integer maxProbes,
      Double maxSnr, Double maxGuidance) {
    public static final Limits DEFAULT = new Limits(null, null, null, null, null, null, null);

    public Limits {
      maxN = positive(maxN, 64, "limits.max-n");
      maxSteps = positive(maxSteps, 2000, "limits.max-steps");
      maxFrames = positive(maxFrames, 64, "limits.max-frames");
      maxImages = positive(maxImages, 64, "limits.max-images");
      maxProbes = positive(maxProbes, 64, "limits.max-probes");
      maxSnr = maxSnr == null ? 1.0 : maxSnr;
      maxGuidance = maxGuidance == null ? 20.0 : maxGuidance;
    }
  }

  /**
   * @param enabled merge compatible concurrent requests into one batch
   * @param maxBatch rows per merged batch
   * @param maxDelay how long the first request of a batch waits for companions
   */
  public record Batching(Boolean enabled, Integer maxBatch, Duration maxDelay) {
    public Batching {
      enabled = enabled == null || enabled;
      maxBatch = positive(maxBatch, 16, "batching.max-batch");
      maxDelay = maxDelay == null ? Duration.ofMillis(5) : maxDelay;
    }
  }

  private static int positive(Integer v, int fallback, String name) {
    if (v == null) {
      return fallback;
    }
    if (v < 1) {
      throw new IllegalArgumentException("score-sde.serve." + name + " must be positive, got " + v);
    }
    return v;
  }
}
