package dev.scoresde.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A score network for low-dimensional data (batch, d): the same noise-level (and optional class)
 * embedding as the U-Nets, an input layer to width nf, numResBlocks residual layers
 * h ← h + Dense(SiLU(h)) + Dense(SiLU(temb)), and a zero-initialised output layer SiLU→Dense back to d.
 * Input NDList(x, cond[, labels]), output NDList(y) shaped like x.
 */
final class ScoreMlp extends Layer {
  private final int numClasses;
  private final TimeEmbedding temb;
  private final Dense in;
  private final List<Dense> hidden = new ArrayList<>();
  private final List<Dense> tembProj = new ArrayList<>();
  private final Dense out;

  ScoreMlp(NetworkSpec spec) {
    int d = spec.channels();
    int width = spec.nf();
    numClasses = spec.numClasses();
    temb = addChildBlock("temb", new TimeEmbedding(spec.embedding(), width, spec.fourierScale(), numClasses));
    in = addChildBlock("in", new Dense(d, width));
    for (int l = 0; l < spec.numResBlocks(); l++) {
      hidden.add(addChildBlock("layer" + l, new Dense(width, width)));
      tembProj.add(addChildBlock("layer" + l + "_temb", new Dense(temb.dim, width)));
    }
    out = addChildBlock("out", new Dense(width, d, 0));
  }

  /** x (batch, d), cond (batch), labels (batch) or null → (batch, d). */
  NDArray forward(ParameterStore ps, NDArray x, NDArray cond, NDArray labels, boolean training) {
    NDArray tembAct = silu(temb.forward(ps, cond, labels, training));
    NDArray h = in.forward(ps, x, training); // (batch, nf)
    for (int l = 0; l < hidden.size(); l++) {
      h = h.add(hidden.get(l).forward(ps, silu(h), training)).add(tembProj.get(l).forward(ps, tembAct, training));
    }
    return out.forward(ps, silu(h), training);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray labels = numClasses > 0 && inputs.size() > 2 ? inputs.get(2) : null;
    return new NDList(forward(ps, inputs.get(0), inputs.get(1), labels, training));
  }
}
