package dev.scoresde.serve.task;

import ai.djl.ndarray.NDManager;
import dev.scoresde.sampling.SamplingListener;
import dev.scoresde.sampling.settings.InvalidFieldException;
import dev.scoresde.serve.InvalidRequestException;
import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.ServeException;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ServedModel;

/** A validated operation bound to its model, ready to run on a worker. */
public interface Task {

  ServedModel model();

  OperationKind kind();

  /** Batch rows this task occupies (for batching and metrics). */
  int rows();

  /** The sampler or solver name, for latency metrics. */
  String sampler();

  /**
   * Runs in {@code scope} (a sub-manager of the model's manager, closed by the caller afterwards).
   *
   * @param listener progress; throws CancellationException to stop
   */
  OperationResult run(NDManager scope, SamplingListener listener);

  /**
   * The one place operations become tasks: checks that the model supports the operation and the request's
   * parameters against the model and the limits.
   *
   * @throws InvalidRequestException for a bad parameter, named
   * @throws ServeException for an operation the model does not support
   */
  static Task of(Operation op, ServedModel model, ServeProperties props) {
    model.require(op.kind());
    try {
      return switch (op.kind()) {
        case SAMPLES -> SampleTask.of((Operation.Sample) op, model, props);
        case INPAINT -> EditTask.inpaint((Operation.Inpaint) op, model, props);
        case COLORIZE -> EditTask.colorize((Operation.Colorize) op, model, props);
        case INTERPOLATE -> FlowTask.interpolate((Operation.Interpolate) op, model, props);
        case ENCODE -> FlowTask.encode((Operation.Encode) op, model, props);
        case DECODE -> FlowTask.decode((Operation.Decode) op, model, props);
        case LIKELIHOOD -> LikelihoodTask.of((Operation.Likelihood) op, model, props);
      };
    } catch (InvalidRequestException e) {
      throw e;
    } catch (InvalidFieldException e) {
      throw new InvalidRequestException(e.field(), e.getMessage());
    }
  }
}
