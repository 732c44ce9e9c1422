package dev.scoresde.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Scalars;

/**
 * The exact score of Gaussian-mixture data under any of the SDEs: with p_0t(x(t)|x(0)) = N(α x(0), σ² I),
 * p_t = Σ_k π_k N(α μ_k, α² Σ_k + σ² I), whose score, log-density and component posterior are closed-form.
 * The test oracle of every sampler, likelihood and conditional sampler. Any x shape (batch, ...) is
 * flattened to (batch, d).
 */
public final class GaussianMixtureScore implements ScoreModel {
  private final GaussianMixture mixture;
  private final Sde sde;

  public GaussianMixtureScore(GaussianMixture mixture, Sde sde) {
    this.mixture = mixture;
    this.sde = sde;
  }

  public GaussianMixture mixture() {
    return mixture;
  }

  public Sde sde() {
    return sde;
  }

  /** The exact score of component k alone: the class-conditional score ∇ₓ log p_t(x | y = k). */
  public GaussianMixtureScore conditional(int k) {
    return new GaussianMixtureScore(mixture.component(k), sde);
  }

  /**
   * The exact class-conditional model: ∇ₓ log p_t(x | y = k) per row, and the mixture's score for the
   * "no label" token K — the oracle for classifier-free guidance.
   */
  public ConditionalScoreModel asConditional() {
    return new ConditionalScoreModel() {
      @Override
      public int numClasses() {
        return mixture.components();
      }

      @Override
      public NDArray score(NDArray x, NDArray t, NDArray labels) {
        NDList parts = components(x, t, true);
        try {
          int k = mixture.components();
          NDArray post = parts.get(0).softmax(1); // (batch, K)
          NDArray lab = labels.toType(ai.djl.ndarray.types.DataType.INT32, false);
          NDArray isNone = Scalars.eq(lab, k).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(1);
          NDArray oneHot = lab.oneHot(k + 1).get(":, 0:" + k).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
          NDArray w = oneHot.add(post.mul(isNone)); // (batch, K)
          return parts.get(1).mul(w.expandDims(2)).sum(new int[] {1}).reshape(x.getShape());
        } finally {
          parts.close();
        }
      }
    };
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    NDList parts = components(x, t, true);
    try {
      NDArray post = parts.get(0).softmax(1); // (batch, K)
      NDArray scores = parts.get(1); // (batch, K, d)
      NDArray s = scores.mul(post.expandDims(2)).sum(new int[] {1});
      return s.reshape(x.getShape());
    } finally {
      parts.close();
    }
  }

  /** log p_t(x) for each row: (batch). */
  public NDArray logDensity(NDArray x, NDArray t) {
    return fromLogJoint(x, t, logs -> logs.logSoftmax(1).neg().add(logs).get(":, 0"));
  }

  /** The component posterior p_t(y = k | x) for each row: (batch, K). */
  public NDArray posterior(NDArray x, NDArray t) {
    return fromLogJoint(x, t, logs -> logs.softmax(1));
  }

  /** log p_t(y = k | x) for each row: (batch, K) — the exact time-dependent classifier. */
  public NDArray logPosterior(NDArray x, NDArray t) {
    return fromLogJoint(x, t, logs -> logs.logSoftmax(1));
  }

  /** {@code f} of log π_k + log N_k (batch, K), without computing the component scores. */
  private NDArray fromLogJoint(NDArray x, NDArray t, java.util.function.UnaryOperator<NDArray> f) {
    NDList parts = components(x, t, false);
    try {
      return f.apply(parts.get(0));
    } finally {
      parts.close();
    }
  }

  /**
   * For each row and component: log π_k + log N(x; α μ_k, α² Σ_k + σ² I) (batch, K), and the
   * component's score −(α² Σ_k + σ² I)⁻¹ (x − α μ_k) (batch, K, d). All K components at once, in each
   * component's eigenbasis Σ_k = U_k Λ_k U_kᵀ, so one call costs a fixed number of tensor ops. Without
   * {@code withScores} only the first.
   */
  private NDList components(NDArray x, NDArray t, boolean withScores) {
    NDManager m = x.getManager();
    long b = x.getShape().get(0);
    int d = mixture.dimension();
    NDArray flat = x.reshape(b, -1);
    if (flat.getShape().get(1) != d) {
      throw new IllegalArgumentException("x has " + flat.getShape().get(1) + " dimensions, the mixture " + d);
    }
    float[] ts = t.toFloatArray();
    if (ts.length != b) {
      throw new IllegalArgumentException("t has " + ts.length + " rows, x has " + b);
    }
    float[] alphas = new float[ts.length];
    float[] variances = new float[ts.length];
    for (int i = 0; i < ts.length; i++) {
      double std = sde.marginalStd(ts[i]);
      alphas[i] = (float) sde.meanCoefficient(ts[i]);
      variances[i] = (float) (std * std);
    }
    NDArray alpha = m.create(alphas, new Shape(1, b, 1)); // (1, batch, 1)
    NDArray var0 = m.create(variances, new Shape(1, b, 1)); // (1, batch, 1)
    Constants c = constants(m);
    NDArray y = flat.expandDims(0).sub(alpha.mul(c.means)).matMul(c.eigenvectors); // (K, batch, d) in eigenbases
    NDArray var = alpha.square().mul(c.eigenvalues).add(var0); // (K, batch, d)
    NDArray yv = y.div(var);
    NDArray logN = Scalars.mul(y.mul(yv).sum(new int[] {2}).add(var.log().sum(new int[] {2})), -0.5)
        .add(c.logWeights); // (K, batch)
    if (!withScores) {
      return new NDList(logN.transpose());
    }
    NDArray scores = yv.matMul(c.eigenvectors.transpose(0, 2, 1)).neg(); // (K, batch, d)
    return new NDList(logN.transpose(), scores.transpose(1, 0, 2));
  }

  /** The mixture's parameters as arrays: means (K, 1, d), U (K, d, d), Λ (K, 1, d), log π_k − d/2 log 2π (K, 1). */
  private record Constants(NDArray means, NDArray eigenvectors, NDArray eigenvalues, NDArray logWeights) {}

  private Constants constants(NDManager m) {
    int d = mixture.dimension();
    int kk = mixture.components();
    float[] means = new float[kk * d];
    float[] vectors = new float[kk * d * d];
    float[] values = new float[kk * d];
    float[] logWeights = new float[kk];
    for (int k = 0; k < kk; k++) {
      System.arraycopy(toFloat(mixture.mean(k)), 0, means, k * d, d);
      System.arraycopy(toFloat(mixture.eigenvectors(k)), 0, vectors, k * d * d, d * d);
      System.arraycopy(toFloat(mixture.eigenvalues(k)), 0, values, k * d, d);
      logWeights[k] = (float) (Math.log(mixture.weight(k)) - 0.5 * d * Math.log(2 * Math.PI));
    }
    return new Constants(m.create(means, new Shape(kk, 1, d)), m.create(vectors, new Shape(kk, d, d)),
        m.create(values, new Shape(kk, 1, d)), m.create(logWeights, new Shape(kk, 1)));
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static float[] toFloat(double[][] v) {
    int n = v.length;
    float[] f = new float[n * v[0].length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < v[i].length; j++) {
        f[i * v[i].length + j] = (float) v[i][j];
      }
    }
    return f;
  }
}
