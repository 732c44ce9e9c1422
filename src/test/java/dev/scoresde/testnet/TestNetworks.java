package dev.scoresde.testnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.nn.NetworkSpec;
import java.util.SplittableRandom;

/** The test stand-in for nn's Networks: builds {@link TinyMlp}s, initialized reproducibly from a seed. */
public final class TestNetworks implements NetworkFactory {

  public static final TestNetworks FACTORY = new TestNetworks();

  /** An MLP spec for data of {@code channels} × size × size (size 0: vectors of dimension {@code channels}). */
  public static NetworkSpec mlp(int channels, int size, int hidden, int numClasses) {
    return NetworkSpec.mlp().channels(channels).imageSize(size).nf(hidden).chMult(1).numClasses(numClasses).build();
  }

  /** The same with dropout after the first layer. */
  public static NetworkSpec mlpWithDropout(int channels, int size, int hidden, int numClasses, double dropout) {
    return NetworkSpec.mlp().channels(channels).imageSize(size).nf(hidden).chMult(1).dropout(dropout)
        .numClasses(numClasses).build();
  }

  public static NetworkSpec classifier(int channels, int size, int hidden, int numClasses) {
    return NetworkSpec.classifier().channels(channels).imageSize(size).nf(hidden).chMult(1).skipRescale(false)
        .numClasses(numClasses).build();
  }

  @Override
  public Block create(NetworkSpec spec) {
    return new TinyMlp(spec);
  }

  /** Weights ~ N(0, 1/fan_in) and zero biases, drawn on the JVM from the seed (independent of DJL's RNG). */
  @Override
  public void initialize(Block block, NetworkSpec spec, NDManager manager, long seed) {
    block.initialize(manager, DataType.FLOAT32, TinyMlp.inputShapes(spec));
    SplittableRandom r = new SplittableRandom(seed);
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray a = p.getValue().getArray();
      float[] v = new float[Math.toIntExact(a.getShape().size())];
      if (p.getValue().getType() == Parameter.Type.WEIGHT) {
        double std = 1 / Math.sqrt(a.getShape().get(a.getShape().dimension() - 1));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (std * r.nextGaussian());
        }
      }
      a.set(v);
    }
  }
}
