package dev.scoresde.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.control.Colorization;
import dev.scoresde.control.Inpainting;
import dev.scoresde.sampling.SampleResult;
import dev.scoresde.sampling.SamplerSettings;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inpainting and colorization (Song et al. 2021, Appendix I.2): the model's sampler with a state constraint
 * applied after every step, and the known part put back exactly at the end. {@code n} completions of one
 * input, row i drawn from stream (seed, i).
 *
 * @param known the observation in the model's range: the image (channels, size, size) for inpainting, the gray
 *     channel (1, size, size) for colorization
 * @param mask 1 = known, (1, size, size), for inpainting; null for colorization
 */
record EditTask(ServedModel model, OperationKind kind, int n, SamplerSettings settings, long seed,
    float[] known, float[] mask) implements SettingsTask {

  static EditTask inpaint(Operation.Inpaint op, ServedModel m, ServeProperties props) {
    m.require(OperationKind.INPAINT);
    SamplerRequest s = op.sampler() == null ? SamplerRequest.defaults() : op.sampler();
    int n = Check.range("n", op.n(), 1, 1, props.limits().maxN());
    float[] image = ImageCodec.decode(Check.present("image", op.image()), m.shape(), m.range(), "image");
    float[] mask = ImageCodec.mask(Check.present("mask", op.mask()), m.shape(), "mask");
    return new EditTask(m, OperationKind.INPAINT, n, s.toSettings(m, props),
        Operation.seed(op.seed()), image, mask);
  }

  static EditTask colorize(Operation.Colorize op, ServedModel m, ServeProperties props) {
    m.require(OperationKind.COLORIZE);
    SamplerRequest s = op.sampler() == null ? SamplerRequest.defaults() : op.sampler();
    int n = Check.range("n", op.n(), 1, 1, props.limits().maxN());
    ImageCodec.Pixels gray = ImageCodec.pixels(Check.present("image", op.image()), m.shape(), "image", 1, true);
    return new EditTask(m, OperationKind.COLORIZE, n, s.toSettings(m, props),
        Operation.seed(op.seed()), ImageCodec.toRange(gray.values(), m.range()), null);
  }

  @Override
  public OperationResult run(NDManager scope, SamplingListener listener) {
    long start = System.nanoTime();
    DataShape shape = model.shape();
    int size = shape.size();
    Rng rng = Rng.of(seed, n);
    NDArray xT = settings.drawPrior(model.sde(), scope, shape.batchShape(n), rng);
    SamplingContext ctx = SamplingContext.of(rng).withListener(listener);
    SampleResult r;
    NDArray out;
    if (kind == OperationKind.INPAINT) {
      int c = shape.channels();
      NDArray obs = scope.create(known, new Shape(1, c, size, size)).repeat(0, n);
      NDArray m = scope.create(mask, new Shape(1, 1, size, size)).repeat(1, c).repeat(0, n);
      Inpainting inpainting = new Inpainting(obs, m);
      r = settings.toSampler().sample(model.score(), model.sde(), xT, ctx.withConstraint(inpainting));
      out = inpainting.finish(r.samples());
    } else {
      NDArray gray = scope.create(known, new Shape(1, 1, size, size)).repeat(0, n);
      Colorization colorization = new Colorization(gray);
      r = settings.toSampler().sample(model.score(), model.sde(), xT, ctx.withConstraint(colorization));
      out = colorization.finish(r.samples());
    }
    List<float[]> images = FlowTask.split(out.toFloatArray(), n);
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("model", model.name());
    SamplerRequest.putSettingsFields(md, settings, false);
    md.put("nfe", r.nfe());
    md.put("seed", seed);
    md.put("temperature", settings.temperature());
    md.put("wallTimeMs", (System.nanoTime() - start) / 1_000_000);
    return new OperationResult(model.name(), kind, shape, model.range(), images, null, md);
  }
}
