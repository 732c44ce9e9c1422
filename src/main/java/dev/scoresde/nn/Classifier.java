package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The time-dependent (noise-conditional) classifier p_t(y | x(t)) for classifier guidance (Section 5,
 * Appendix I): the U-Net's {@link Encoder} with the noise-level embedding, then GroupNorm→SiLU, global
 * average pooling and a dense layer to numClasses logits. Input NDList(x, cond), output NDList(logits
 * (batch, numClasses)); differentiable in x, so ∇ₓ log p_t(y | x) comes from autograd.
 */
final class Classifier extends Layer {
  private final int numClasses;
  private final TimeEmbedding temb;
  private final Encoder encoder;
  private final GroupNorm norm;
  private final Dense head;

  Classifier(NetworkSpec spec) {
    if (spec.numClasses() < 2) {
      throw new IllegalArgumentException("a classifier needs numClasses >= 2, got " + spec.numClasses());
    }
    numClasses = spec.numClasses();
    temb = addChildBlock("temb", new TimeEmbedding(spec.embedding(), spec.nf(), spec.fourierScale(), 0));
    encoder = addChildBlock("encoder", new Encoder(spec, temb.dim));
    norm = addChildBlock("norm", new GroupNorm(encoder.outChannels));
    head = addChildBlock("head", new Dense(encoder.outChannels, numClasses));
  }

  /** x (batch, channels, h, w), cond (batch) → logits (batch, numClasses). */
  NDArray forward(ParameterStore ps, NDArray x, NDArray cond, boolean training) {
    NDArray tembAct = silu(temb.forward(ps, cond, null, training));
    NDArray h = encoder.forward(ps, x, tembAct, training).h();
    long b = h.getShape().get(0);
    NDArray pooled = silu(norm.forward(ps, h, training)).reshape(b, encoder.outChannels, -1).mean(new int[] {2});
    return head.forward(ps, pooled, training);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
  }
}
