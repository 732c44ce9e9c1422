package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.tensor.Scalars;

/**
 * The noise-level embedding: sinusoidal features of cond (DDPM++: cond = 999t, Vaswani et al.'s positional
 * encoding, reference get_timestep_embedding) or Gaussian random Fourier features of log cond (NCSN++:
 * cond = σ, Tancik et al. 2020, fixed weights W ~ N(0, fourierScale²)), then Dense→SiLU→Dense to 4·nf.
 * With numClasses > 0, a learned class embedding (numClasses + 1 rows; the last is "no label", the token
 * of classifier-free guidance) is added to the result.
 */
final class TimeEmbedding extends Layer {
  private final boolean fourier;
  private final int nf;
  final int dim;
  private final Parameter fourierWeights; // (nf), fixed
  private final Dense dense0;
  private final Dense dense1;
  private final int numClasses;
  private final Parameter classes; // (numClasses + 1, dim), or null

  TimeEmbedding(EmbeddingType embedding, int nf, double fourierScale, int numClasses) {
    if (nf % 2 != 0) {
      throw new IllegalArgumentException("nf must be even, got " + nf);
    }
    this.fourier = embedding == EmbeddingType.FOURIER;
    this.nf = nf;
    this.dim = 4 * nf;
    this.numClasses = numClasses;
    fourierWeights = fourier
        ? param("fourier", Parameter.Type.OTHER, new Shape(nf), Init.normal(fourierScale), false)
        : null;
    dense0 = addChildBlock("dense0", new Dense(fourier ? 2 * nf : nf, dim));
    dense1 = addChildBlock("dense1", new Dense(dim, dim));
    classes = numClasses > 0
        ? param("classes", Parameter.Type.WEIGHT, new Shape(numClasses + 1, dim), Init.fanAvg(1))
        : null;
  }

  /** cond (batch) float32, labels (batch) int or null (= all "no label") → temb (batch, 4·nf). */
  NDArray forward(ParameterStore ps, NDArray cond, NDArray labels, boolean training) {
    long b = cond.getShape().get(0);
    NDArray features = fourier ? fourierFeatures(ps, cond, training) : positional(cond);
    NDArray temb = dense1.forward(ps, silu(dense0.forward(ps, features.reshape(b, -1), training)), training);
    if (classes != null) {
      NDArray table = value(ps, classes, cond, training);
      NDArray idx = labels != null
          ? labels.toType(DataType.INT64, false).reshape(b)
          : cond.getManager().full(new Shape(b), (long) numClasses); // all "no label"

      temb = temb.add(Embedding.embedding(idx, table, SparseFormat.DENSE).singletonOrThrow());
    }
    return temb;
  }

  /** [sin(cond·f), cos(cond·f)] with f_i = 10000^(−i/(nf/2 − 1)): (batch, nf). */
  private NDArray positional(NDArray cond) {
    int half = nf / 2;
    float[] freqs = new float[half];
    double step = Math.log(10000) / (half - 1);
    for (int i = 0; i < half; i++) {
      freqs[i] = (float) Math.exp(-step * i);
    }
    NDArray args = cond.reshape(-1, 1).mul(cond.getManager().create(freqs, new Shape(1, half)));
    return NDArrays.concat(new NDList(args.sin(), args.cos()), 1);
  }

  /** [sin(2π W log σ), cos(2π W log σ)]: (batch, 2·nf). */
  private NDArray fourierFeatures(ParameterStore ps, NDArray sigma, boolean training) {
    NDArray w = local(value(ps, fourierWeights, sigma, training).reshape(1, nf), sigma); // (1, nf)
    NDArray args = Scalars.mul(sigma.log().reshape(-1, 1).mul(w), (float) (2 * Math.PI));
    return NDArrays.concat(new NDList(args.sin(), args.cos()), 1);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
  }
}
