package dev.scoresde.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.NamedParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba 2015) in PyTorch's form, θ ← θ − lr_k/(1 − β₁ᵏ) · m/(sqrt(v/(1 − β₂ᵏ)) + ε), with the
 * reference's linear warm-up and clipping by global gradient norm. The per-parameter arithmetic is the
 * engine's fused in-place Adam kernel (one native call per parameter instead of a dozen tensor ops);
 * its MXNet-style bias correction lr·sqrt(1 − β₂ᵏ)/(1 − β₁ᵏ) · m/(sqrt(v) + ε′) equals the form above
 * with ε′ = ε·sqrt(1 − β₂ᵏ). The state (m, v, step) is saved with checkpoints.
 */
public final class Adam {
  private final AdamSettings settings;
  private final NamedParameters params;
  private final NamedParameters m; // first moments, shaped like params
  private final NamedParameters v; // second moments, shaped like params
  private long step; // updates done

  /** Fresh state (zero moments) in {@code stateManager}. */
  public Adam(AdamSettings settings, NamedParameters params, NDManager stateManager) {
    this.settings = settings;
    this.params = params;
    List<NDArray> ms = new ArrayList<>();
    List<NDArray> vs = new ArrayList<>();
    for (NDArray p : params.arrays()) {
      ms.add(stateManager.zeros(p.getShape(), p.getDataType()));
      vs.add(stateManager.zeros(p.getShape(), p.getDataType()));
    }
    this.m = new NamedParameters(params.names(), ms);
    this.v = new NamedParameters(params.names(), vs);
  }

  /** What one update saw. */
  public record Update(double learningRate, double gradNorm, double clipScale) {}

  /**
   * Applies one update from the gradients now held by the parameters and zeroes them. Temporary arrays
   * live in {@code scope}.
   */
  public Update update(NDManager scope) {
    List<Integer> trainable = new ArrayList<>(params.size());
    NDList grads = new NDList(params.size());
    for (int i = 0; i < params.size(); i++) {
      NDArray p = params.arrays().get(i);
      if (!p.hasGradient()) {
        continue; // frozen (e.g. NCSN++'s random Fourier features): saved, never updated
      }
      NDArray g = p.getGradient();
      if (g == null) {
        g = scope.zeros(p.getShape(), p.getDataType());
      } else {
        g.attach(scope);
      }
      trainable.add(i);
      grads.add(g);
    }
    double norm = globalNorm(grads, scope);
    double clip = settings.gradClip() > 0 ? Math.min(1.0, settings.gradClip() / (norm + 1e-6)) : 1.0;
    step++;
    double lr = settings.learningRate(step - 1);
    double bc1 = 1 - Math.pow(settings.beta1(), step);
    double bc2 = 1 - Math.pow(settings.beta2(), step);
    float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
    float epsCorrected = (float) (settings.eps() * Math.sqrt(bc2));
    for (int k = 0; k < trainable.size(); k++) {
      int i = trainable.get(k);
      NDArray w = params.arrays().get(i);
      w.getNDArrayInternal().adamUpdate(
          new NDList(w, grads.get(k), m.arrays().get(i), v.arrays().get(i)), new NDList(w),
          (float) lr, lrCorrected, 0f, (float) clip, -1f,
          (float) settings.beta1(), (float) settings.beta2(), epsCorrected, false, false);
    }
    return new Update(lr, norm, clip);
  }

  /** The global L2 norm of all gradients, sqrt(Σ‖g_i‖²), as PyTorch's clip_grad_norm_. */
  static double globalNorm(NDList grads, NDManager scope) {
    if (grads.isEmpty()) {
      return 0;
    }
    NDList norms = new NDList(grads.size());
    for (NDArray g : grads) {
      norms.add(g.norm());
    }
    return NDArrays.stack(norms).norm().getFloat();
  }

  public long step() {
    return step;
  }

  public AdamSettings settings() {
    return settings;
  }

  /** The moments, named {@code m.<param>} and {@code v.<param>}, for a checkpoint. */
  public NDList state() {
    NDList out = m.toNamedList("m.");
    out.addAll(v.toNamedList("v."));
    return out;
  }

  /** Restores moments saved by {@link #state()} and the step count. */
  public void load(NDList saved, long savedStep, String what) {
    m.copyFrom(saved, "m.", what);
    v.copyFrom(saved, "v.", what);
    step = savedStep;
  }

  public NamedParameters firstMoments() {
    return m;
  }

  public NamedParameters secondMoments() {
    return v;
  }
}
