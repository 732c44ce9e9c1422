package dev.scoresde.serve.model;

import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.score.GaussianMixture;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.SubVpSde;
import dev.scoresde.sde.VeSde;
import dev.scoresde.sde.VpSde;
import dev.scoresde.tensor.ValueRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in analytic model: Gaussian-mixture data with its exact score ({@link GaussianMixtureScore}),
 * exact class-conditional scores (classifier-free guidance) and exact class posterior (classifier
 * guidance). Fast and exact: a demo without trained weights and the oracle of the service's tests.
 */
public final class MixtureModels {
  private MixtureModels() {}

  /** 4 × 4 patterns in [−1, 1]: vertical stripes, horizontal stripes, a checkerboard and its inverse. */
  public static ModelsProperties.Mixture patterns16() {
    List<List<Double>> means = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      List<Double> m = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          boolean on = switch (k) {
            case 0 -> c % 2 == 0;
            case 1 -> r % 2 == 0;
            case 2 -> (r + c) % 2 == 0;
            default -> (r + c) % 2 == 1;
          };
          m.add(on ? 0.8 : -0.8);
        }
      }
      means.add(m);
    }
    return new ModelsProperties.Mixture(null, means, List.of(0.1, 0.1, 0.1, 0.1), null,
        List.of("vertical", "horizontal", "checker", "inverse-checker"), "vp", 1);
  }

  /** 3 × 4 × 4 images in [−1, 1]: a reddish, a greenish and a bluish flat patch (a colorization demo). */
  static ModelsProperties.Mixture colors48() {
    List<List<Double>> means = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      List<Double> m = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 16; i++) {
          m.add(c == k ? 0.6 : -0.3);
        }
      }
      means.add(m);
    }
    return new ModelsProperties.Mixture(null, means, List.of(0.1, 0.1, 0.1), null, List.of("red", "green", "blue"),
        "vp", 3);
  }

  public static ServedModel create(String name, ModelsProperties.Mixture spec, String device) {
    ModelsProperties.Mixture m = resolve(spec);
    if (m.means() == null || m.means().isEmpty()) {
      throw new IllegalArgumentException("gaussian-mixture model '" + name + "' needs a preset or means");
    }
    int k = m.means().size();
    int d = m.means().get(0).size();
    double[][] means = new double[k][];
    double[][] variances = new double[k][d];
    double[] weights = new double[k];
    for (int i = 0; i < k; i++) {
      if (m.means().get(i).size() != d) {
        throw new IllegalArgumentException("mixture '" + name + "': mean " + i + " has " + m.means().get(i).size()
            + " values, mean 0 has " + d);
      }
      means[i] = m.means().get(i).stream().mapToDouble(Double::doubleValue).toArray();
      double std = pick(m.stds(), i, k, 0.1, "stds");
      java.util.Arrays.fill(variances[i], std * std);
      weights[i] = pick(m.weights(), i, k, 1.0 / k, "weights");
    }
    List<String> names = m.classNames() != null && !m.classNames().isEmpty() ? m.classNames() : defaultNames(k);
    if (names.size() != k) {
      throw new IllegalArgumentException("mixture '" + name + "': " + names.size() + " class names for " + k
          + " components");
    }
    Sde sde = sde(m.sde());
    GaussianMixtureScore score = new GaussianMixtureScore(GaussianMixture.diagonal(weights, means, variances), sde);
    int c = m.channels() == null ? 1 : m.channels();
    int side = (int) Math.round(Math.sqrt(d / (double) c));
    DataShape shape = c * side * side == d ? DataShape.image(c, side, side) : DataShape.vector(d);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("components", k);
    details.put("dimension", d);
    details.put("preset", spec.preset());
    return new ServedModel(name, ServedModel.GAUSSIAN_MIXTURE, "analytic Gaussian mixture, " + k + " components in " + d
        + " dimensions (exact score)", sde, shape, range(means, variances), names, score, score.asConditional(),
        score::logPosterior, NDManager.newBaseManager(ai.djl.Device.fromName(device)), details, null);
  }

  private static ModelsProperties.Mixture resolve(ModelsProperties.Mixture spec) {
    if (spec == null) {
      throw new IllegalArgumentException("a gaussian-mixture model needs a 'mixture' section");
    }
    if (spec.preset() == null || spec.preset().isBlank()) {
      return spec;
    }
    ModelsProperties.Mixture p = switch (spec.preset()) {
      case "patterns-16" -> patterns16();
      case "colors-48" -> colors48();
      default -> throw new IllegalArgumentException("unknown gaussian-mixture preset '" + spec.preset()
          + "' (expected patterns-16 or colors-48)");
    };
    return new ModelsProperties.Mixture(spec.preset(), p.means(), p.stds(), p.weights(), p.classNames(),
        spec.sde() != null ? spec.sde() : p.sde(), p.channels());
  }

  /** [−1, 1] when every mean lies there (the usual centred data), else the means ± 4 std. */
  private static ValueRange range(double[][] means, double[][] variances) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (int i = 0; i < means.length; i++) {
      double s = Math.sqrt(variances[i][0]);
      for (double v : means[i]) {
        lo = Math.min(lo, v - 4 * s);
        hi = Math.max(hi, v + 4 * s);
      }
    }
    return lo >= -1.5 && hi <= 1.5 ? ValueRange.SYMMETRIC : new ValueRange(Math.floor(lo), Math.ceil(hi));
  }

  private static Sde sde(String kind) {
    SdeKind k = SdeKind.parse(kind == null ? "vp" : kind);
    return switch (k) {
      case VE -> new VeSde(0.01, 50, 1000);
      case VP -> new VpSde(0.1, 20, 1000);
      case SUBVP -> new SubVpSde(0.1, 20, 1000);
    };
  }

  private static double pick(List<Double> values, int i, int k, double fallback, String field) {
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    if (values.size() != k) {
      throw new IllegalArgumentException("mixture " + field + " has " + values.size() + " entries for " + k
          + " components");
    }
    double v = values.get(i);
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException("mixture " + field + " must be positive, got " + v);
    }
    return v;
  }

  private static List<String> defaultNames(int k) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add(String.valueOf(i));
    }
    return names;
  }
}
