package dev.scoresde.control;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.likelihood.ProbabilityFlowCodec;
import dev.scoresde.names.Names;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.tensor.Doubles;
import java.util.Arrays;

/**
 * Interpolation in the probability-flow latent space (Song et al. 2021, Section 4.3 and Appendix D.4): encode
 * two inputs with the ODE (ε → T), interpolate the latents, decode every frame (T → ε). Encoding is
 * deterministic, so the same inputs always give the same frames.
 */
public final class LatentInterpolation {
  /** The largest number of frames of one call. */
  public static final int MAX_FRAMES = 256;

  /** How latents are interpolated. */
  public enum Path implements Names.Named {
    /** z(s) = (1 − s)·z₀ + s·z₁. */
    LINEAR,
    /**
     * The direction moves along the great circle from z₀/|z₀| to z₁/|z₁| at constant angular speed (slerp)
     * while the norm moves linearly from |z₀| to |z₁|: frames stay on the prior's typical shell, where a
     * linear path between two independent high-dimensional Gaussian latents dips by up to 1/√2.
     */
    SPHERICAL;

    /** linear; spherical, also by its API name slerp. */
    @Override
    public java.util.List<String> names() {
      return this == SPHERICAL ? java.util.List.of("spherical", "slerp") : Names.Named.super.names();
    }

    /** The API's names, its default (slerp) first. */
    public static java.util.List<String> apiNames() {
      return java.util.List.of(SPHERICAL.apiName(), LINEAR.apiName());
    }

    /** By its API name or id, case-insensitive. */
    public static Path byApiName(String name) {
      return Names.parse("interpolation path", name, values());
    }

    /** The name the API uses: slerp or linear. */
    public String apiName() {
      return this == SPHERICAL ? "slerp" : id();
    }
  }

  /**
   * @param frames the decoded frames, (frames, ...); frame 0 decodes z₀, the last z₁
   * @param latents the interpolated latents, (frames, ...)
   * @param encodeNfe score evaluations of the encoding (both inputs in one batch)
   * @param decodeNfe score evaluations of the decoding (all frames in one batch)
   */
  public record Result(NDArray frames, NDArray latents, int encodeNfe, int decodeNfe) {
    public int nfe() {
      return encodeNfe + decodeNfe;
    }
  }

  private final ProbabilityFlowCodec codec;

  public LatentInterpolation(ProbabilityFlowCodec codec) {
    this.codec = codec;
  }

  /**
   * @param a the first input, (1, ...)
   * @param b the second input, (1, ...), the same shape
   * @param frames the number of frames including both ends, 2..{@link #MAX_FRAMES}
   * @return frames and latents in a's manager
   */
  public Result interpolate(NDArray a, NDArray b, int frames, Path path) {
    requirePair(a, b);
    checkFrames(frames);
    NDManager owner = a.getManager();
    try (NDManager scope = owner.newSubManager()) {
      NDArray both = a.concat(b, 0);
      both.attach(scope);
      OdeSolution encoded = codec.encode(both);
      encoded.y().attach(scope);
      NDArray latents = path(encoded.y().get("0:1"), encoded.y().get("1:2"), frames, path);
      OdeSolution decoded = codec.decode(latents);
      latents.attach(owner);
      decoded.y().attach(owner);
      return new Result(decoded.y(), latents, encoded.nfe(), decoded.nfe());
    }
  }

  /**
   * The latent path z(s_i), s_i = i / (frames − 1), as z(s) = c₀(s)·z₀ + c₁(s)·z₁ with scalar coefficients
   * computed in double; the end frames are z₀ and z₁ exactly.
   *
   * @param z0 (1, ...)
   * @param z1 (1, ...)
   * @return (frames, ...) in z0's manager
   */
  public static NDArray path(NDArray z0, NDArray z1, int frames, Path path) {
    requirePair(z0, z1);
    checkFrames(frames);
    if (path == null) {
      throw new IllegalArgumentException("an interpolation path must be given");
    }
    float[] c0 = new float[frames];
    float[] c1 = new float[frames];
    if (path == Path.LINEAR) {
      for (int i = 0; i < frames; i++) {
        double s = i / (double) (frames - 1);
        c0[i] = (float) (1 - s);
        c1[i] = (float) s;
      }
    } else {
      sphericalCoefficients(z0, z1, c0, c1);
    }
    NDManager m = z0.getManager();
    Shape column = coefficientShape(z0, frames);
    return z0.mul(m.create(c0, column)).add(z1.mul(m.create(c1, column)));
  }

  private static void sphericalCoefficients(NDArray z0, NDArray z1, float[] c0, float[] c1) {
    double[] a = Doubles.of(z0);
    double[] b = Doubles.of(z1);
    double na = norm(a);
    double nb = norm(b);
    if (!(na > 0) || !(nb > 0) || !Double.isFinite(na) || !Double.isFinite(nb)) {
      throw new IllegalArgumentException("spherical interpolation needs finite non-zero latents, got norms "
          + na + " and " + nb);
    }
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    double cos = Math.max(-1, Math.min(1, dot / (na * nb)));
    double theta = Math.acos(cos);
    double sin = Math.sin(theta);
    if (cos < 0 && sin < 1e-6) {
      throw new IllegalArgumentException(
          "the latents point in opposite directions: the great circle between them is not unique");
    }
    int frames = c0.length;
    for (int i = 0; i < frames; i++) {
      double s = i / (double) (frames - 1);
      double r = (1 - s) * na + s * nb; // the norm profile
      double u0;
      double u1;
      if (sin < 1e-6) {
        u0 = 1 - s; // nearly parallel: the directions agree, any path between them is the arc
        u1 = s;
        double len = Math.sqrt(u0 * u0 + u1 * u1 + 2 * u0 * u1 * cos);
        u0 /= len;
        u1 /= len;
      } else {
        u0 = Math.sin((1 - s) * theta) / sin;
        u1 = Math.sin(s * theta) / sin;
      }
      c0[i] = (float) (r * u0 / na);
      c1[i] = (float) (r * u1 / nb);
    }
    c0[0] = 1;
    c1[0] = 0;
    c0[frames - 1] = 0;
    c1[frames - 1] = 1;
  }

  /** (frames, 1, 1, …) to broadcast against a (1, …) latent. */
  private static Shape coefficientShape(NDArray z, int frames) {
    long[] dims = new long[z.getShape().dimension()];
    Arrays.fill(dims, 1);
    dims[0] = frames;
    return new Shape(dims);
  }

  private static void requirePair(NDArray a, NDArray b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException("two inputs must be given");
    }
    if (a.getShape().dimension() < 2 || a.getShape().get(0) != 1) {
      throw new IllegalArgumentException("inputs must be single items shaped (1, ...), got " + a.getShape());
    }
    if (!a.getShape().equals(b.getShape())) {
      throw new IllegalArgumentException("the two inputs must have the same shape, got " + a.getShape() + " and "
          + b.getShape());
    }
  }

  private static void checkFrames(int frames) {
    if (frames < 2 || frames > MAX_FRAMES) {
      throw new IllegalArgumentException("frames must be between 2 and " + MAX_FRAMES + " (both ends included), got "
          + frames);
    }
  }

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
