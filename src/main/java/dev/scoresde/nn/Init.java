package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * How a parameter starts, as in the reference code: {@code default_init(scale)} is variance scaling with
 * fan_avg and a uniform distribution; {@code init_scale = 0} means a zero-initialised layer; GroupNorm
 * starts at scale 1, shift 0; the Fourier features are fixed N(0, scale²) draws.
 * Values are drawn on the JVM by {@link Networks#initialize} from a seeded stream per parameter, never by
 * the engine's global RNG, so the same seed gives the same network on every device.
 */
record Init(Kind kind, double scale) implements Initializer {

  enum Kind { FAN_AVG_UNIFORM, ZEROS, ONES, NORMAL }

  /** The reference's {@code default_init(scale)}; scale 0 is an exactly zero layer. */
  static Init fanAvg(double scale) {
    return scale == 0 ? zeros() : new Init(Kind.FAN_AVG_UNIFORM, scale);
  }

  static Init zeros() {
    return new Init(Kind.ZEROS, 0);
  }

  static Init ones() {
    return new Init(Kind.ONES, 1);
  }

  static Init normal(double std) {
    return new Init(Kind.NORMAL, std);
  }

  /** Values for a parameter of {@code shape}, drawn from {@code rng}. */
  float[] sample(Shape shape, SplittableRandom rng) {
    float[] v = new float[Math.toIntExact(shape.size())];
    switch (kind) {
      case ZEROS -> { }
      case ONES -> java.util.Arrays.fill(v, 1f);
      case NORMAL -> {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * scale);
        }
      }
      case FAN_AVG_UNIFORM -> {
        // variance = scale / ((fan_in + fan_out) / 2), uniform on [-√(3·var), √(3·var)]
        long receptive = shape.dimension() > 2 ? shape.slice(2).size() : 1;
        double fanIn = shape.get(1) * receptive;
        double fanOut = shape.get(0) * receptive;
        double limit = Math.sqrt(3 * scale / ((fanIn + fanOut) / 2));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
      }
    }
    return v;
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    throw new IllegalStateException(
        "score networks are initialised reproducibly with Networks.initialize(block, spec, manager, seed)");
  }
}
