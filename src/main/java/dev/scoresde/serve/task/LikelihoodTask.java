package dev.scoresde.serve.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.likelihood.BitsPerDim;
import dev.scoresde.likelihood.DivergenceEstimator;
import dev.scoresde.likelihood.LikelihoodSettings;
import dev.scoresde.likelihood.ProbabilityFlowLikelihood;
import dev.scoresde.sampling.OdeProgress;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.settings.FieldCheck;
import dev.scoresde.serve.ImageCodec;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ServedModel;
import dev.scoresde.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Bits/dim of 8-bit images through the probability-flow ODE (Song et al. 2021, Section 4.3, Table 2):
 * uniform dequantization and Hutchinson probes drawn from stream (seed, i) of image i. Never batched with other
 * requests: the adaptive solver's cost and reported NFE would become the slowest companion's (see {@link FlowTask}).
 *
 * @param pixels each image's 8-bit values, (channels, size, size) flattened
 */
record LikelihoodTask(ServedModel model, List<float[]> pixels, LikelihoodSettings settings, long seed)
    implements OdeTask {

  static LikelihoodTask of(Operation.Likelihood op, ServedModel m, ServeProperties props) {
    FieldCheck.present("images", op.images());
    FieldCheck.range("images", op.images().size(), 0, 1, props.limits().maxImages());
    List<float[]> pixels = new ArrayList<>();
    for (int i = 0; i < op.images().size(); i++) {
      pixels.add(ImageCodec.pixels(op.images().get(i), m.shape(), "images[" + i + "]", m.shape().channels(), false)
          .values());
    }
    DivergenceEstimator estimator;
    try {
      estimator = op.estimator() == null ? DivergenceEstimator.RADEMACHER : DivergenceEstimator.byName(op.estimator());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("estimator", e.getMessage());
    }
    if (estimator.isExact() && m.shape().dimension() > DivergenceEstimator.EXACT_MAX_DIMENSION) {
      throw new InvalidRequestException("estimator", "the exact divergence needs dimension ≤ "
          + DivergenceEstimator.EXACT_MAX_DIMENSION + ", this model has " + m.shape().dimension());
    }
    int probes = FieldCheck.range("probes", op.probes(), 1, 1, props.limits().maxProbes());
    LikelihoodSettings s = FlowTask.codecSettings(op.rtol(), op.atol()).withEstimator(estimator, probes);
    return new LikelihoodTask(m, pixels, s, Operation.seed(op.seed()));
  }

  @Override
  public OperationKind kind() {
    return OperationKind.LIKELIHOOD;
  }

  @Override
  public int rows() {
    return pixels.size();
  }

  @Override
  public OperationResult run(NDManager scope, SamplingListener listener) {
    long start = System.nanoTime();
    int n = pixels.size();
    NDArray px = FlowTask.stack(scope, pixels, model.shape());
    ProbabilityFlowLikelihood likelihood = new ProbabilityFlowLikelihood(model.sde(), ScoreClock.timed(model.score()), settings);
    Rng rng = Rng.of(seed, n);
    // BitsPerDim.evaluate without a listener: dequantize, then the likelihood with progress
    NDArray x = BitsPerDim.dequantize(px, rng, model.range());
    var r = likelihood.logLikelihood(x, rng, new OdeProgress(listener, settings.eps(), model.sde().endTime()));
    double[] bpd = BitsPerDim.fromLogLikelihood(r.logLikelihood(), r.dimension(), model.range());
    double perBit = r.dimension() * Math.log(2);
    List<Double> bits = new ArrayList<>();
    List<Double> se = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bits.add(bpd[i]);
      double s = r.standardError()[i] / perBit;
      se.add(Double.isFinite(s) ? s : null);
    }
    Metadata.Likelihood md = new Metadata.Likelihood(model.name(), bits, se, settings.estimator().apiName(),
        settings.estimator().isExact() ? 0 : settings.probes(), settings.rtol(), settings.atol(), r.nfe(), seed,
        (System.nanoTime() - start) / 1_000_000);
    return new OperationResult(model.name(), OperationKind.LIKELIHOOD, model.shape(), model.range(), null, null, md);
  }
}
