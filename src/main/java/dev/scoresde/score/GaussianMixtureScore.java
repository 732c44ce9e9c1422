package dev.scoresde.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.Times;

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
        NDList parts = components(x, t);
        try {
          int k = mixture.components();
          NDArray post = parts.get(0).softmax(1); // (batch, K)
          NDArray lab = labels.toType(ai.djl.ndarray.types.DataType.INT32, false);
          NDArray isNone = lab.eq(k).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).expandDims(1);
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
    NDList parts = components(x, t);
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
    NDList parts = components(x, t);
    try {
      return parts.get(0).logSoftmax(1).neg().add(parts.get(0)).get(":, 0");
    } finally {
      parts.close();
    }
  }

  /** The component posterior p_t(y = k | x) for each row: (batch, K). */
  public NDArray posterior(NDArray x, NDArray t) {
    NDList parts = components(x, t);
    try {
      return parts.get(0).softmax(1);
    } finally {
      parts.close();
    }
  }

  /** log p_t(y = k | x) for each row: (batch, K) — the exact time-dependent classifier. */
  public NDArray logPosterior(NDArray x, NDArray t) {
    NDList parts = components(x, t);
    try {
      return parts.get(0).logSoftmax(1);
    } finally {
      parts.close();
    }
  }

  /**
   * For each row and component: log π_k + log N(x; α μ_k, α² Σ_k + σ² I) (batch, K), and the
   * component's score −(α² Σ_k + σ² I)⁻¹ (x − α μ_k) (batch, K, d).
   */
  private NDList components(NDArray x, NDArray t) {
    NDManager m = x.getManager();
    long b = x.getShape().get(0);
    int d = mixture.dimension();
    NDArray flat = x.reshape(b, -1);
    if (flat.getShape().get(1) != d) {
      throw new IllegalArgumentException("x has " + flat.getShape().get(1) + " dimensions, the mixture " + d);
    }
    NDArray alpha = Times.perRow(flat, t, sde::meanCoefficient); // (batch, 1)
    NDArray var0 = Times.perRow(flat, t, s -> sde.marginalStd(s) * sde.marginalStd(s)); // (batch, 1)
    NDArray alpha2 = alpha.square();
    NDList logs = new NDList();
    NDList scores = new NDList();
    for (int k = 0; k < mixture.components(); k++) {
      NDArray mu = m.create(toFloat(mixture.mean(k)), new Shape(1, d));
      NDArray u = m.create(toFloat(mixture.eigenvectors(k)), new Shape(d, d));
      NDArray lambda = m.create(toFloat(mixture.eigenvalues(k)), new Shape(1, d));
      NDArray y = flat.sub(alpha.mul(mu)).matMul(u); // (batch, d) in the eigenbasis
      NDArray var = alpha2.mul(lambda).add(var0); // (batch, d)
      NDArray yv = y.div(var);
      NDArray logN = y.mul(yv).sum(new int[] {1}).add(var.log().sum(new int[] {1})).mul(-0.5)
          .sub(0.5 * d * Math.log(2 * Math.PI) - Math.log(mixture.weight(k)));
      logs.add(logN.expandDims(1));
      scores.add(yv.matMul(u.transpose()).neg().expandDims(1));
    }
    return new NDList(concat(logs), concat(scores));
  }

  /** NDArrays.concat of one array duplicates it, and DJL's duplicate is detached from autograd: avoid it. */
  private static NDArray concat(NDList parts) {
    return parts.size() == 1 ? parts.get(0) : ai.djl.ndarray.NDArrays.concat(parts, 1);
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
