package dev.scoresde.serve.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.control.LatentInterpolation;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.likelihood.ProbabilityFlowCodec;
import dev.scoresde.sampling.OdeProgress;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.ode.OdeSolution;
import dev.scoresde.sampling.settings.FieldCheck;
import dev.scoresde.serve.ImageCodec;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ServedModel;
import dev.scoresde.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Operations of the probability-flow codec (Song et al. 2021, Section 4.3): encode data to latents, decode
 * latents to data, and interpolate between two latents (of two encoded images, or two prior draws).
 *
 * <p>Not batched with other requests (unlike {@link BatchableTask}s). The adaptive Dormand–Prince solver
 * controls its step per row, so a merged row's values would not change, but a batch iterates until its
 * slowest row is done and evaluates every row at every iteration: a request would pay for, wait for and
 * report (as its {@code nfe}) its slowest companion's steps. Flow inputs are arbitrary uploads whose
 * step counts differ widely: encoding eight uniform-noise images on the "patterns" mixture took 518–884
 * evaluations each alone, 884 for every row merged (26 % more row-evaluations). Likelihood
 * ({@link LikelihoodTask}) runs the same solver on a state of D + K values per row (K probes), so it would
 * only merge requests with equal estimators and probe counts, at the same price.
 *
 * @param inputs encode: images in the model's range; decode: latents; interpolate: the two endpoints (images
 *     when {@code encodeFirst}, else latents)
 * @param frames interpolation frames (0 for encode and decode)
 */
record FlowTask(ServedModel model, OperationKind kind, List<float[]> inputs, boolean encodeFirst, int frames,
    LatentInterpolation.Path method, LikelihoodSettings codec, long[] seeds) implements OdeTask {

  /**
   * Latents beyond this many prior standard deviations are refused: no prior draw or encoding comes near (the chance
   * of even 10σ is about 1e-23 per value), and far out the flow's float32 arithmetic overflows (1e30 made the ODE's
   * right-hand side infinite).
   */
  static final double MAX_LATENT_STDS = 1000;

  /** The API's interpolation methods ({@link LatentInterpolation.Path#apiName}): slerp (default) or linear. */
  static LatentInterpolation.Path method(String name) {
    try {
      return name == null ? LatentInterpolation.Path.SPHERICAL : LatentInterpolation.Path.byApiName(name);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("method", "unknown method '" + name + "' (expected "
          + String.join(" or ", LatentInterpolation.Path.apiNames()) + ")");
    }
  }

  static LikelihoodSettings codecSettings(Double rtol, Double atol) {
    LikelihoodSettings d = LikelihoodSettings.defaults();
    double r = FieldCheck.range("rtol", rtol, d.rtol(), 1e-7, 0.5, true);
    double a = FieldCheck.range("atol", atol, d.atol(), 1e-7, 0.5, true);
    return d.withTolerances(r, a);
  }

  static FlowTask encode(Operation.Encode op, ServedModel m, ServeProperties props) {
    List<float[]> images = images(op.images(), m, props);
    return new FlowTask(m, OperationKind.ENCODE, images, true, 0, null, codecSettings(op.rtol(), op.atol()), null);
  }

  static FlowTask decode(Operation.Decode op, ServedModel m, ServeProperties props) {
    List<float[]> latents = FieldCheck.present("latents", op.latents());
    FieldCheck.range("latents", latents.size(), 0, 1, props.limits().maxImages());
    int d = m.shape().dimension();
    for (int i = 0; i < latents.size(); i++) {
      float[] z = latents.get(i);
      if (z == null || z.length != d) {
        throw new InvalidRequestException("latents", "latent " + i + " has " + (z == null ? 0 : z.length)
            + " values, the model's dimension is " + d);
      }
      double bound = MAX_LATENT_STDS * m.sde().priorStd();
      for (int j = 0; j < d; j++) {
        if (!Float.isFinite(z[j])) {
          throw new InvalidRequestException("latents", "latent " + i + " holds a non-finite value");
        }
        if (Math.abs(z[j]) > bound) {
          throw new InvalidRequestException("latents", "latents[" + i + "][" + j + "] is " + z[j] + "; a latent is a "
              + "draw of the prior N(0, σ²I) with σ = " + (float) m.sde().priorStd() + ", so |value| must be at most "
              + (int) MAX_LATENT_STDS + "σ = " + (float) bound);
        }
      }
    }
    return new FlowTask(m, OperationKind.DECODE, latents, false, 0, null, codecSettings(op.rtol(), op.atol()), null);
  }

  static FlowTask interpolate(Operation.Interpolate op, ServedModel m, ServeProperties props) {
    int frames = FieldCheck.range("frames", op.frames(), 8, 2, props.limits().maxFrames());
    LatentInterpolation.Path method = method(op.method());
    LikelihoodSettings codec = codecSettings(op.rtol(), op.atol());
    boolean images = op.imageA() != null || op.imageB() != null;
    boolean seeds = op.seedA() != null || op.seedB() != null;
    if (images == seeds) {
      throw new InvalidRequestException("seedA",
          "give either two images (imageA, imageB) or two seeds (seedA, seedB)");
    }
    if (images) {
      if (!m.operations().contains(OperationKind.ENCODE)) {
        throw new InvalidRequestException("imageA", "model '" + m.name() + "' takes no images; interpolate two seeds");
      }
      float[] a = ImageCodec.decode(FieldCheck.present("imageA", op.imageA()), m.shape(), m.range(), "imageA");
      float[] b = ImageCodec.decode(FieldCheck.present("imageB", op.imageB()), m.shape(), m.range(), "imageB");
      return new FlowTask(m, OperationKind.INTERPOLATE, List.of(a, b), true, frames, method, codec, null);
    }
    long sa = Operation.seed(FieldCheck.present("seedA", op.seedA()));
    long sb = Operation.seed(FieldCheck.present("seedB", op.seedB()));
    return new FlowTask(m, OperationKind.INTERPOLATE, null, false, frames, method, codec, new long[] {sa, sb});
  }

  static List<float[]> images(List<byte[]> images, ServedModel m, ServeProperties props) {
    FieldCheck.present("images", images);
    FieldCheck.range("images", images.size(), 0, 1, props.limits().maxImages());
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      out.add(ImageCodec.decode(images.get(i), m.shape(), m.range(), "images[" + i + "]"));
    }
    return out;
  }

  @Override
  public int rows() {
    return kind == OperationKind.INTERPOLATE ? frames : inputs.size();
  }

  @Override
  public OperationResult run(NDManager scope, SamplingListener listener) {
    long start = System.nanoTime();
    DataShape shape = model.shape();
    ProbabilityFlowCodec flow = ProbabilityFlowCodec.of(model.sde(), ScoreClock.timed(model.score()), codec);
    double t0 = codec.eps();
    double t1 = model.sde().endTime();
    List<float[]> images = null;
    List<float[]> latents = null;
    int nfe;
    String endpoints = null;
    if (kind == OperationKind.ENCODE) {
      OdeSolution s = flow.encode(stack(scope, inputs, shape), new OdeProgress(listener, t0, t1));
      latents = split(s.y().toFloatArray(), inputs.size());
      nfe = s.nfe();
    } else if (kind == OperationKind.DECODE) {
      OdeSolution s = flow.decode(stack(scope, inputs, shape), new OdeProgress(listener, t1, t0));
      images = split(s.y().toFloatArray(), inputs.size());
      nfe = s.nfe();
    } else {
      float[][] ends;
      int encodeNfe = 0;
      OdeProgress first = new OdeProgress(listener, t0, t1);
      if (encodeFirst) {
        OdeSolution s = flow.encode(stack(scope, inputs, shape), first);
        List<float[]> z = split(s.y().toFloatArray(), 2);
        ends = new float[][] {z.get(0), z.get(1)};
        encodeNfe = s.nfe();
        endpoints = "images";
      } else {
        ends = new float[2][];
        for (int i = 0; i < 2; i++) {
          ends[i] = model.sde().priorSample(scope, shape.batchShape(1), Rng.of(seeds[i], 1)).toFloatArray();
        }
        endpoints = "seeds";
      }
      NDArray path = path(stack(scope, List.of(ends[0]), shape), stack(scope, List.of(ends[1]), shape));
      int encoded = encodeNfe;
      OdeSolution s = flow.decode(path, new OdeProgress(listener, t1, t0, first.iterations(), n -> encoded + n));
      images = split(s.y().toFloatArray(), frames);
      latents = split(path.toFloatArray(), frames);
      nfe = encodeNfe + s.nfe();
    }
    boolean interpolate = kind == OperationKind.INTERPOLATE;
    boolean fromSeeds = interpolate && !encodeFirst;
    Metadata.Flow md = new Metadata.Flow(model.name(), "ode", codec.rtol(), codec.atol(), endpoints,
        fromSeeds ? seeds[0] : null, fromSeeds ? seeds[1] : null, interpolate ? frames : null,
        interpolate ? method.apiName() : null, nfe, (System.nanoTime() - start) / 1_000_000);
    return new OperationResult(model.name(), kind, shape, model.range(), images, latents, md);
  }

  /** The latent path (frames, ...) from z0 to z1, both (1, ...): {@link LatentInterpolation#path}. */
  private NDArray path(NDArray z0, NDArray z1) {
    try {
      return LatentInterpolation.path(z0, z1, frames, method);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("method", e.getMessage() + "; use method linear");
    }
  }

  static NDArray stack(NDManager scope, List<float[]> rows, DataShape shape) {
    int per = shape.dimension();
    float[] all = new float[rows.size() * per];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, all, i * per, per);
    }
    return scope.create(all, shape.batchShape(rows.size()));
  }

  static List<float[]> split(float[] all, int n) {
    int per = all.length / n;
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Arrays.copyOfRange(all, i * per, (i + 1) * per));
    }
    return out;
  }

}
