package dev.scoresde.serve.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.control.Colorization;
import dev.scoresde.control.Inpainting;
import dev.scoresde.control.MeasurementGuidance;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.Sampler;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.settings.FieldCheck;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.serve.ImageCodec;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ServedModel;
import java.util.List;
import java.util.function.Function;

/**
 * Inpainting and colorization (Song et al. 2021, Appendix I.2): the model's sampler with a state constraint
 * applied after every step, and the known part put back exactly at the end. {@code n} completions of one
 * input, row i drawn from stream (seed, i). Edits with equal {@link #batchKey()}s run as one batch, each task's
 * rows with its own observation, mask and random streams, so each gets what it would have got alone.
 *
 * @param known the observation in the model's range: the image (channels, size, size) for inpainting, the gray
 *     channel (1, size, size) for colorization
 * @param mask 1 = known, (1, size, size), for inpainting; null for colorization
 */
record EditTask(ServedModel model, OperationKind kind, int n, SamplerSettings settings, long seed,
    float[] known, float[] mask, double guidance) implements SettingsTask, BatchableTask {

  /** What must agree for edits to share a batch: the model, inpaint or colorize, the sampler and the guidance. */
  record BatchKey(ServedModel model, OperationKind kind, SamplerSettings settings, double guidance) {}

  static EditTask inpaint(Operation.Inpaint op, ServedModel m, ServeProperties props) {
    int n = FieldCheck.range("n", op.n(), 1, 1, props.limits().maxN());
    float[] image = ImageCodec.decode(FieldCheck.present("image", op.image()), m.shape(), m.range(), "image");
    float[] mask = ImageCodec.mask(FieldCheck.present("mask", op.mask()), m.shape(), "mask");
    return new EditTask(m, OperationKind.INPAINT, n, m.samplerSettings(op.sampler(), props),
        Operation.seed(op.seed()), image, mask, guidance(op.guidance(), m, props));
  }

  static EditTask colorize(Operation.Colorize op, ServedModel m, ServeProperties props) {
    int n = FieldCheck.range("n", op.n(), 1, 1, props.limits().maxN());
    ImageCodec.Pixels gray = ImageCodec.pixels(FieldCheck.present("image", op.image()), m.shape(), "image", 1, true);
    return new EditTask(m, OperationKind.COLORIZE, n, m.samplerSettings(op.sampler(), props),
        Operation.seed(op.seed()), ImageCodec.toRange(gray.values(), m.range()), null,
        guidance(op.guidance(), m, props));
  }

  /** The request's measurement-guidance weight, or the model's default; bounded like every guidance weight. */
  private static double guidance(Double requested, ServedModel m, ServeProperties props) {
    return FieldCheck.range("guidance", requested, m.guidance().measurementWeight(), 0, props.limits().maxGuidance(), true);
  }

  @Override
  public BatchKey batchKey() {
    return settings.couplesRows() ? null : new BatchKey(model, kind, settings, guidance);
  }

  /**
   * Runs edits with one batch key as one batch: the constraint's observation and mask rows are each task's
   * own, repeated for its n rows, tasks one after another, in the same layout as the rows' random streams.
   */
  @Override
  public List<OperationResult> runBatch(List<? extends BatchableTask> batch, NDManager scope,
      SamplingListener listener) {
    Draw<EditTask> draw = Draw.of(batch, EditTask.class, scope);
    List<EditTask> tasks = draw.tasks();
    EditTask first = tasks.get(0);
    ServedModel m = first.model;
    DataShape shape = m.shape();
    SamplingContext ctx = SamplingContext.of(draw.rng()).withListener(listener);
    Sampler sampler = first.settings.toSampler();
    SampleResult r;
    NDArray out;
    if (first.kind == OperationKind.INPAINT) {
      int c = shape.channels();
      NDArray known = rows(scope, tasks, EditTask::known, c);
      NDArray mask = rows(scope, tasks, EditTask::mask, c);
      Inpainting inpainting = new Inpainting(known, mask);
      ScoreModel score = ScoreClock.timed(new MeasurementGuidance(m.score(), m.sde(), x -> x.mul(mask),
          known.mul(mask), first.guidance)); // weight 0: the model's own score
      r = sampler.sample(score, m.sde(), draw.xT(), ctx.withConstraint(inpainting));
      out = inpainting.finish(r.samples());
    } else {
      NDArray gray = rows(scope, tasks, EditTask::known, 1);
      Colorization colorization = new Colorization(gray);
      ScoreModel score = ScoreClock.timed(MeasurementGuidance.colorization(m.score(), m.sde(), gray, first.guidance));
      r = sampler.sample(score, m.sde(), draw.xT(), ctx.withConstraint(colorization));
      out = colorization.finish(r.samples());
    }
    return draw.results(out, r.nfe(), EditTask::metadata);
  }

  /**
   * Every task's {@code part} (one image's values, (1 or channels, size, size)) repeated for each of its n
   * rows and, if it has one channel, over {@code channels}: (Σn, channels, size, size).
   */
  private static NDArray rows(NDManager scope, List<EditTask> tasks, Function<EditTask, float[]> part, int channels) {
    int size = tasks.get(0).model.shape().size();
    int perRow = channels * size * size;
    int total = tasks.stream().mapToInt(EditTask::n).sum();
    float[] all = new float[total * perRow];
    int at = 0;
    for (EditTask t : tasks) {
      float[] v = part.apply(t);
      for (int copies = t.n * (perRow / v.length); copies > 0; copies--) {
        System.arraycopy(v, 0, all, at, v.length);
        at += v.length;
      }
    }
    return scope.create(all, new Shape(total, channels, size, size));
  }

  private Metadata.Edit metadata(int nfe, long wallMillis, int batchRows) {
    return new Metadata.Edit(model.name(), settings.fields().choice(false), nfe, seed,
        settings.endpoints().temperature(), guidance, wallMillis, batchRows);
  }
}
