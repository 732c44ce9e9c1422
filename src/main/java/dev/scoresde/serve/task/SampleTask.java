package dev.scoresde.serve.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.settings.FieldCheck;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.GuidanceMode;
import dev.scoresde.serve.model.ServedModel;
import dev.scoresde.tensor.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * Unconditional or class-conditional sampling. Tasks with equal {@link #batchKey()}s run as one batch:
 * their rows are concatenated with their own random streams ({@link Rng#concat}) and labels, and every
 * sampler treats rows independently, so each task gets what it would have got alone.
 *
 * @param label the class label, or −1 for unconditional
 */
record SampleTask(ServedModel model, int n, SamplerSettings settings, long seed, int label,
    double guidance, GuidanceMode mode) implements SettingsTask, BatchableTask {

  /** What must agree for tasks to share a batch: the model, the sampler settings (with temperature) and guidance. */
  record BatchKey(ServedModel model, SamplerSettings settings, GuidanceMode mode, double guidance) {}

  static SampleTask of(Operation.Sample op, ServedModel m, ServeProperties props) {
    int n = FieldCheck.range("n", op.n(), 1, 1, props.limits().maxN());
    SamplerSettings settings = m.samplerSettings(op.sampler(), props);
    long seed = Operation.seed(op.seed());
    if (op.classLabel() == null || op.classLabel().isBlank()) {
      if (op.guidance() != null || op.guidanceMode() != null) {
        throw new InvalidRequestException("guidance", "guidance needs a classLabel");
      }
      return new SampleTask(m, n, settings, seed, -1, 0, GuidanceMode.NONE);
    }
    int label = m.classLabel(op.classLabel());
    GuidanceMode mode = mode(op.guidanceMode(), m);
    double fallback = mode == GuidanceMode.CLASSIFIER ? m.guidance().classifierScale() : m.guidance().classifierFreeWeight();
    double w = FieldCheck.range("guidance", op.guidance(), fallback, 0, props.limits().maxGuidance(), true);
    return new SampleTask(m, n, settings, seed, label, w, mode);
  }

  private static GuidanceMode mode(String name, ServedModel m) {
    boolean unset = name == null || name.isBlank();
    GuidanceMode g = unset ? m.defaultGuidanceMode() : GuidanceMode.byApiName(name);
    if (g == null) {
      throw new InvalidRequestException("guidanceMode", "unknown guidance mode '" + name
          + "' (expected classifier-free or classifier)");
    }
    if (!m.guidanceModes().contains(g)) {
      throw new InvalidRequestException("guidanceMode", "model '" + m.name() + "' has no "
          + (g == GuidanceMode.CLASSIFIER ? "classifier; use classifier-free" : "conditional score; use classifier"));
    }
    return g;
  }

  @Override
  public BatchKey batchKey() {
    return settings.couplesRows() ? null : new BatchKey(model, settings, mode, guidance);
  }

  @Override
  public OperationKind kind() {
    return OperationKind.SAMPLES;
  }

  /** Runs tasks with one batch key as one batch and splits the result back, task by task. */
  @Override
  public List<OperationResult> runBatch(List<? extends BatchableTask> batch, NDManager scope,
      SamplingListener listener) {
    Draw<SampleTask> draw = Draw.of(batch, SampleTask.class, scope);
    List<SampleTask> tasks = draw.tasks();
    SampleTask first = tasks.get(0);
    ServedModel m = first.model;
    int total = draw.rows();
    int[] labels = new int[total];
    int at = 0;
    for (SampleTask t : tasks) {
      Arrays.fill(labels, at, at + t.n, t.label);
      at += t.n;
    }
    ScoreModel score = first.score(scope.create(labels));
    SampleResult r = first.settings.toSampler().sample(score, m.sde(), draw.xT(),
        SamplingContext.of(draw.rng()).withListener(listener));
    return draw.results(r.samples(), r.nfe(), SampleTask::metadata);
  }

  private ScoreModel score(NDArray labels) {
    return ScoreClock.timed(model.guidedScore(mode, labels, guidance));
  }

  private Metadata.Sample metadata(int nfe, long wallMillis, int batchRows) {
    boolean labelled = label >= 0;
    return new Metadata.Sample(model.name(), settings.fields().choice(true), nfe, seed,
        settings.endpoints().temperature(), labelled ? label : null, labelled ? model.classNames().get(label) : null,
        labelled ? mode.apiName() : null,
        labelled ? guidance : null, wallMillis, batchRows);
  }
}
