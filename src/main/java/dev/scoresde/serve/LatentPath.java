package dev.scoresde.serve;

/**
 * Paths between two latents of the probability-flow ODE (Song et al. 2021, Section 4.3: the latent space
 * of a uniquely identifiable encoding supports interpolation). Gaussian latents concentrate on a sphere, so
 * spherical interpolation keeps intermediate latents typical; linear interpolation shrinks their norm.
 * TODO(lead): switch to control.LatentInterpolation once it is merged.
 */
final class LatentPath {
  private LatentPath() {}

  /** Interpolation method by API name. */
  enum Method { SLERP, LINEAR;

    static Method parse(String name) {
      if (name == null || name.equalsIgnoreCase("slerp")) {
        return SLERP;
      }
      if (name.equalsIgnoreCase("linear")) {
        return LINEAR;
      }
      throw new InvalidRequestException("method", "unknown method '" + name + "' (expected slerp or linear)");
    }

    String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code frames} points from a (s = 0) to b (s = 1) inclusive; a and b (d). */
  static float[][] frames(float[] a, float[] b, int frames, Method method) {
    float[][] out = new float[frames][];
    for (int f = 0; f < frames; f++) {
      double s = frames == 1 ? 0 : f / (double) (frames - 1);
      out[f] = method == Method.LINEAR ? linear(a, b, s) : slerp(a, b, s);
    }
    return out;
  }

  static float[] linear(float[] a, float[] b, double s) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (float) ((1 - s) * a[i] + s * b[i]);
    }
    return out;
  }

  /** sin((1 − s)θ)/sin θ · a + sin(sθ)/sin θ · b with cos θ = a·b/(|a||b|); linear when a ∥ b. */
  static float[] slerp(float[] a, float[] b, double s) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    double cos = dot / Math.sqrt(na * nb);
    double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
    if (!(Math.sin(theta) > 1e-6)) {
      return linear(a, b, s);
    }
    double wa = Math.sin((1 - s) * theta) / Math.sin(theta);
    double wb = Math.sin(s * theta) / Math.sin(theta);
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (float) (wa * a[i] + wb * b[i]);
    }
    return out;
  }
}
