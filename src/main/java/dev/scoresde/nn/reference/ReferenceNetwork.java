package dev.scoresde.nn.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Scopes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.scoresde.tensor.Scalars;

/**
 * A whole network of the reference (the module {@code create_model} builds, without its DataParallel
 * wrapper). Input NDList(x, labels): x (batch, C, H, W) in the data's range, labels (batch) float32 —
 * what the reference's {@code model(x, labels)} receives (σ(t), 999t, t(N−1) or a σ index, see
 * {@link ReferenceScoring}). Output NDList(model output), shaped like x.
 */
public abstract class ReferenceNetwork extends TorchModule {
  protected final ReferenceConfig config;
  /** Every parameter, for the per-pass check whether autograd must record (built on first use). */
  private volatile List<Parameter> parameterList;
  /** The modules of {@code all_modules}, in order. */
  private final List<TorchModule> modules = new ArrayList<>();

  /** get_sigmas(config) as float32, computed once (the scale_by_sigma divisor of the label-indexed models). */
  private final float[] sigmas32;

  protected ReferenceNetwork(ReferenceConfig config) {
    this.config = config;
    double[] sigmas = config.sigmas();
    sigmas32 = new float[sigmas.length];
    for (int i = 0; i < sigmas.length; i++) {
      sigmas32[i] = (float) sigmas[i];
    }
  }

  public ReferenceConfig config() {
    return config;
  }

  /** The U-Net's resolution levels, len(ch_mult). */
  protected final int levels() {
    return config.model().chMult().size();
  }

  /** Whether the U-Net attends at {@code level}, whose resolution is image_size / 2^level. */
  protected final boolean attendsAt(int level) {
    return config.model().attnResolutions().contains(config.data().imageSize() >> level);
  }

  /** Appends {@code m} as {@code all_modules.<i>}. */
  protected final <T extends TorchModule> T add(T m) {
    child("all_modules." + modules.size(), m);
    modules.add(m);
    return m;
  }

  /**
   * The parameters under the keys of the reference's {@code model.state_dict()} without the "module."
   * prefix and without buffers, in {@code named_parameters()} order.
   */
  public Map<String, Parameter> parameters() {
    return stateDictParameters();
  }

  /** The float64 buffers the reference registers (name → values): "sigmas", from get_sigmas(config). */
  public Map<String, double[]> buffers() {
    return Map.of("sigmas", config.sigmas());
  }

  /** x (batch, C, H, W), labels (batch) → the reference's model output. */
  public abstract NDArray forward(ParameterStore ps, NDArray x, NDArray labels, boolean training);

  /**
   * Like the reference's evaluation under {@code torch.no_grad()}: a pass that needs no gradient (no trainable
   * parameter, an input that is not a leaf requiring a gradient, no gradient collector open) runs with grad mode
   * off on this thread — it is on by default in every thread but the engine's first — so that libtorch keeps no
   * autograd bookkeeping and the modules may work in place ({@link TorchModule#untracked}).
   */
  @Override
  protected final NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    if (!JniUtils.isGradMode() || needsGradient(x)) {
      return new NDList(forward(ps, x, inputs.get(1), training));
    }
    JniUtils.setGradMode(false);
    try {
      return new NDList(forward(ps, x, inputs.get(1), training));
    } finally {
      JniUtils.setGradMode(true);
    }
  }

  private boolean needsGradient(NDArray x) {
    // a non-leaf input computed from a leaf that requires a gradient is not visible from the array (DJL reports
    // requires_grad only for leaves), but its backward can only run in the JVM's one gradient collector
    if (Autograd.isCollecting() || x.hasGradient()) {
      return true;
    }
    if (parameterList == null) {
      parameterList = List.copyOf(stateDictParameters().values());
    }
    for (Parameter p : parameterList) {
      if (p.isInitialized() && p.getArray().hasGradient()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Walks {@code all_modules} in order, as the reference's forward does with its m_idx. Each module runs in
   * its own memory scope: DJL frees arrays only when their manager closes, so without it a forward pass of a
   * full-size network at batch 16 would hold every intermediate at once (over 20 GB for CIFAR-10 NCSN++).
   */
  protected final class Cursor {
    private int next;

    Unary unary() {
      Unary m = (Unary) modules.get(next++);
      return (ps, x, training) -> Scopes.step(x, v -> m.forward(ps, v, training));
    }

    /** The next module, a GroupNorm, followed by act: x → act(norm(x)). */
    Unary normAct(Nonlinearity act) {
      GroupNorm m = (GroupNorm) modules.get(next++);
      return (ps, x, training) -> Scopes.step(x, v -> m.forward(ps, v, act, training));
    }

    TimeConditioned block() {
      TimeConditioned m = (TimeConditioned) modules.get(next++);
      return (ps, x, temb, training) -> Scopes.step(x, v -> m.forward(ps, v, temb, training));
    }

    /** A layerspp.Combine: (pyramid x, h y) → combined. */
    NDArray combine(ParameterStore ps, NDArray x, NDArray y, boolean training) {
      Combine m = (Combine) modules.get(next++);
      return Scopes.step(x, v -> m.forward(ps, v, y, training));
    }

    /** Throws unless every module was used once. */
    void end() {
      if (next != modules.size()) {
        throw new IllegalStateException("used " + next + " of " + modules.size() + " modules");
      }
    }
  }

  /** get_timestep_embedding(timesteps, dim): [sin(t·f), cos(t·f)], f_i = exp(−i·log(10⁴)/(dim/2 − 1)). */
  static NDArray timestepEmbedding(NDArray timesteps, int dim) {
    int half = dim / 2;
    double step = Math.log(10000) / (half - 1);
    NDArray freqs = Scalars.mul(timesteps.getManager().arange(half).toType(DataType.FLOAT32, false), -step).exp();
    NDArray args = timesteps.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs.reshape(1, -1));
    NDArray emb = NDArrays.concat(new NDList(args.sin(), args.cos()), 1);
    return dim % 2 == 1 ? emb.pad(new Shape(0, 1), 0) : emb;
  }

  /** The σ of each label, sigmas[labels.long()] (batch, 1, 1, 1), float32. */
  final NDArray sigmasAt(NDArray labels) {
    NDArray table = labels.getManager().create(sigmas32);
    return table.get(labels.toType(DataType.INT64, false)).reshape(-1, 1, 1, 1);
  }

  /** 2x − 1 for data in [0, 1] (config.data.centered false); x as is otherwise. */
  final NDArray centre(NDArray x) {
    return config.data().centered() ? x : Scalars.sub(Scalars.mul(x, 2), 1);
  }
}
