package dev.scoresde.testnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;

/**
 * A small tanh MLP following the NetworkSpec contract, for tests: input NDList(x (batch, ...), cond (batch)
 * [, labels (batch)]) → NDList(y shaped like x), or (batch, numClasses) logits for "classifier". The
 * noise conditioning enters as log(1 + cond); labels as a one-hot of numClasses + 1 ("no label"); dropout
 * (DJL's, drawn from the engine's generator) after the first layer when the spec asks for it.
 */
public final class TinyMlp extends AbstractBlock {
  private final NetworkSpec spec;
  private final int dim;
  private final boolean classifier;
  private final Linear l1;
  private final Linear l2;
  private final Linear out;
  private final Dropout dropout;

  public TinyMlp(NetworkSpec spec) {
    this.spec = spec;
    this.classifier = spec.architecture() == Architecture.CLASSIFIER;
    this.dim = spec.imageSize() > 0 ? spec.channels() * spec.imageSize() * spec.imageSize() : spec.channels();
    l1 = addChildBlock("l1", Linear.builder().setUnits(spec.nf()).build());
    l2 = addChildBlock("l2", Linear.builder().setUnits(spec.nf()).build());
    out = addChildBlock("out", Linear.builder().setUnits(classifier ? spec.numClasses() : dim).build());
    dropout = addChildBlock("dropout", Dropout.builder().optRate((float) spec.dropout()).build());
  }

  public static Shape[] inputShapes(NetworkSpec spec) {
    Shape x = spec.imageSize() > 0 ? new Shape(1, spec.channels(), spec.imageSize(), spec.imageSize())
        : new Shape(1, spec.channels());
    return spec.architecture() != Architecture.CLASSIFIER && spec.numClasses() > 0
        ? new Shape[] {x, new Shape(1), new Shape(1)}
        : new Shape[] {x, new Shape(1)};
  }

  private int inputWidth() {
    return dim + 1 + (!classifier && spec.numClasses() > 0 ? spec.numClasses() + 1 : 0);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
    NDArray x = inputs.get(0);
    long b = x.getShape().get(0);
    NDList feats = new NDList(x.reshape(b, -1), inputs.get(1).reshape(b, 1).add(1f).log());
    if (!classifier && spec.numClasses() > 0) {
      feats.add(inputs.get(2).oneHot(spec.numClasses() + 1).toType(DataType.FLOAT32, false));
    }
    NDArray h = NDArrays.concat(feats, 1);
    h = l1.forward(ps, new NDList(h), training).head().tanh();
    if (spec.dropout() > 0) {
      // the engine's generator: reproducible only because the trainer reseeds it from (seed, step)
      h = dropout.forward(ps, new NDList(h), training).head();
    }
    h = l2.forward(ps, new NDList(h), training).head().tanh();
    NDArray y = out.forward(ps, new NDList(h), training).head();
    return new NDList(classifier ? y : y.reshape(x.getShape()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {classifier ? new Shape(inputShapes[0].get(0), spec.numClasses()) : inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    l1.initialize(manager, dataType, new Shape(1, inputWidth()));
    l2.initialize(manager, dataType, new Shape(1, spec.nf()));
    out.initialize(manager, dataType, new Shape(1, spec.nf()));
    dropout.initialize(manager, dataType, new Shape(1, spec.nf()));
  }
}
