package dev.scoresde.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The evaluation's plain Fashion-MNIST classifier ("feature-cnn"): maps clean images in [0, 1] at its
 * own size to logits and to the pooled features the Fréchet distance is measured in. Not the
 * noise-conditional guidance classifier. Its weights stay in the caller's manager.
 */
public final class EvalClassifier {
  /** The architecture shipped in models/fashion-mnist-eval-cnn: 28² → 14² → 7², 256 features. */
  public static final NetworkSpec SPEC = NetworkSpec.featureCnn().channels(1).imageSize(28).nf(16).chMult(1, 2, 16)
      .numResBlocks(1).numClasses(10).build();

  /** The card's SDE field: this network sees clean images; "none" makes any attempt to serve it fail clearly. */
  public static final SdeSpec NO_SDE = new SdeSpec("none", null, null, null, null, 0);

  /** Where the trained classifier ships, relative to the repository root. */
  public static final Path SHIPPED = Path.of("models/fashion-mnist-eval-cnn");

  private final Block network;
  private final NetworkSpec spec;
  private final ParameterStore parameters;
  private final boolean training;

  EvalClassifier(Block network, NetworkSpec spec, ParameterStore parameters, boolean training) {
    if (spec.architecture() != Architecture.FEATURE_CNN) {
      throw new IllegalArgumentException("the evaluation classifier must be a feature-cnn, got " + spec.architecture());
    }
    this.network = network;
    this.spec = spec;
    this.parameters = parameters;
    this.training = training;
  }

  /** An inference-mode classifier around an initialised feature-cnn block. */
  public static EvalClassifier of(Block network, NetworkSpec spec, NDManager manager) {
    return new EvalClassifier(network, spec, new ParameterStore(manager, false), false);
  }

  /** Loads a model folder (or run folder) holding a feature-cnn; weights in {@code manager}. */
  public static EvalClassifier load(Path path, NDManager manager) throws IOException {
    LoadedModel loaded = new CheckpointStore(NetworkFactory.NETWORKS).load(path, manager);
    ModelCard card = loaded.card();
    if (card.network().architecture() != Architecture.FEATURE_CNN) {
      throw new IOException(loaded.folder() + " holds a " + card.network().architecture()
          + " network, not the evaluation's feature-cnn");
    }
    return of(loaded.network(), card.network(), manager);
  }

  public NetworkSpec spec() {
    return spec;
  }

  public int imageSize() {
    return spec.imageSize();
  }

  /** x (batch, channels, size, size) in [0, 1] → NDList(logits (batch, classes), features (batch, F)). */
  public NDList forward(NDArray x) {
    return network.forward(parameters, new NDList(x), training);
  }

  /** One batch's features and predicted classes, copied to the JVM; intermediates are freed. */
  public Output classify(NDArray x) {
    try (NDManager scope = x.getManager().newSubManager()) {
      x.tempAttach(scope);
      NDList out = forward(x);
      int b = Math.toIntExact(x.getShape().get(0));
      int f = Math.toIntExact(out.get(1).getShape().get(1));
      float[] flat = out.get(1).toFloatArray();
      double[][] features = new double[b][f];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < f; j++) {
          features[i][j] = flat[i * f + j];
        }
      }
      int[] predicted = out.get(0).argMax(1).toType(DataType.INT32, false).toIntArray();
      return new Output(features, predicted);
    }
  }

  /**
   * @param features pooled features per row, (batch, F)
   * @param predicted the arg-max class per row, (batch)
   */
  public record Output(double[][] features, int[] predicted) {}
}
