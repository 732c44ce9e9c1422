package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain image classifier whose penultimate activations serve as the feature space of the evaluation's
 * Fréchet distance (the role Inception-v3 plays for FID on natural images). It sees clean images only: no
 * noise level, no labels. With c_i = nf·chMult[i]: a 3×3 stem conv to c_0, then at each resolution i but
 * the last numResBlocks 3×3 convs at c_i and a stride-2 3×3 conv to c_{i+1} (28 → 14 → 7 for three
 * levels), every conv followed by GroupNorm→SiLU; global average pooling gives the features
 * (batch, c_last), a dense layer the logits. Input NDList(x[, cond]) with x (batch, channels, size, size)
 * and cond ignored; output NDList(logits (batch, numClasses), features (batch, c_last)).
 */
final class FeatureCnn extends Layer {
  private final int numClasses;
  final int featureDim;
  private final List<Conv> convs = new ArrayList<>();
  private final List<GroupNorm> norms = new ArrayList<>();
  private final Dense head;

  FeatureCnn(NetworkSpec spec) {
    if (spec.numClasses() < 2) {
      throw new IllegalArgumentException("a feature-cnn needs numClasses >= 2, got " + spec.numClasses());
    }
    numClasses = spec.numClasses();
    List<Integer> mult = spec.chMult();
    int c = spec.nf() * mult.get(0);
    add(new Conv(spec.channels(), c, 3, 1, 1, 1));
    for (int i = 0; i < mult.size() - 1; i++) {
      for (int r = 0; r < spec.numResBlocks(); r++) {
        add(new Conv(c, c, 3, 1, 1, 1));
      }
      int next = spec.nf() * mult.get(i + 1);
      add(new Conv(c, next, 3, 2, 1, 1));
      c = next;
    }
    featureDim = c;
    head = addChildBlock("head", new Dense(c, numClasses));
  }

  private void add(Conv conv) {
    int k = convs.size();
    convs.add(addChildBlock("conv" + k, conv));
    norms.add(addChildBlock("norm" + k, new GroupNorm(conv.out)));
  }

  /** x (batch, channels, h, w) → features (batch, featureDim): the pooled last activations. */
  NDArray features(ParameterStore ps, NDArray x, boolean training) {
    NDArray h = x;
    for (int k = 0; k < convs.size(); k++) {
      h = silu(norms.get(k).forward(ps, convs.get(k).forward(ps, h, training), training));
    }
    return h.reshape(h.getShape().get(0), featureDim, -1).mean(new int[] {2});
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray features = features(ps, inputs.get(0), training);
    return new NDList(head.forward(ps, features, training), features);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    return new Shape[] {new Shape(b, numClasses), new Shape(b, featureDim)};
  }
}
