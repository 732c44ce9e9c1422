package dev.scoresde.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.sde.Sde;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.Times;
import dev.scoresde.tensor.Scalars;

/**
 * A score network wrapped with its SDE's conditioning and output scaling, as in the reference code's
 * {@code get_score_fn}: VP and sub-VP networks see 999·t and s = −net(x, 999t)/σ(t) (the network predicts
 * the noise); VE networks see σ(t) and s = net(x, σ(t))/σ(t) (NCSN++'s scale-by-sigma).
 */
public final class NetworkScoreModel implements ScoreModel {
  private final Block network;
  private final NetworkSpec spec;
  private final Sde sde;
  private final ParameterStore parameters;
  private final boolean training;
  private final NDArray labels; // (batch) int32, or null for "no label"
  private final ReferenceScoreFn reference; // null for this project's own networks

  public NetworkScoreModel(Block network, NetworkSpec spec, Sde sde, ParameterStore parameters, boolean training,
      NDArray labels) {
    this.network = network;
    this.spec = spec;
    this.sde = sde;
    this.parameters = parameters;
    this.training = training;
    this.labels = labels;
    this.reference = spec.hasReference() ? new ReferenceScoreFn(spec.reference(), sde) : null;
  }

  /** An inference-mode model without class labels. */
  public static NetworkScoreModel inference(Block network, NetworkSpec spec, Sde sde, ParameterStore parameters) {
    return new NetworkScoreModel(network, spec, sde, parameters, false, null);
  }

  /** The same network conditioned on class labels (batch) int32; the "no label" token is numClasses. */
  public NetworkScoreModel withLabels(NDArray labels) {
    return new NetworkScoreModel(network, spec, sde, parameters, training, labels);
  }

  public NetworkSpec spec() {
    return spec;
  }

  public Sde sde() {
    return sde;
  }

  /** The conditioning input the network sees at each row's time: (batch). */
  public NDArray conditioning(NDArray x, NDArray t) {
    if (reference != null) {
      return reference.labels(x, t);
    }
    return sde.kind() == SdeKind.VE
        ? Times.perRow(x, t, sde::marginalStd).reshape(-1)
        : Scalars.mul(t, 999f).toType(DataType.FLOAT32, false);
  }

  /**
   * The raw network output at (x, t): the noise prediction for VP/sub-VP, σ·score for VE; for an imported
   * network, what the reference's {@code model(x, labels)} returns.
   */
  public NDArray rawOutput(NDArray x, NDArray t) {
    NDList in = new NDList(x, conditioning(x, t));
    if (spec.numClasses() > 0) {
      in.add(labels != null ? labels : noLabel(x));
    }
    return network.forward(parameters, in, training).singletonOrThrow();
  }

  @Override
  public NDArray score(NDArray x, NDArray t) {
    if (reference != null) {
      NDArray cond = reference.labels(x, t);
      return reference.score(network.forward(parameters, new NDList(x, cond), training).singletonOrThrow(), x, t, cond);
    }
    NDArray out = rawOutput(x, t);
    NDArray std = sde.marginalStd(x, t);
    return sde.kind() == SdeKind.VE ? out.div(std) : out.neg().div(std);
  }

  private NDArray noLabel(NDArray x) {
    int n = Math.toIntExact(x.getShape().get(0));
    int[] v = new int[n];
    java.util.Arrays.fill(v, spec.numClasses());
    return x.getManager().create(v);
  }
}
