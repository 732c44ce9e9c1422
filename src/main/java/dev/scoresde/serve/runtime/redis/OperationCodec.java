package dev.scoresde.serve.runtime.redis;

import dev.scoresde.serve.OperationKind;
import dev.scoresde.serve.task.Operation;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A queued job's operation as any replica can rebuild it: the {@link Operation} record as the client gave it (raw
 * image bytes as base64, names, optional numbers) in JSON, typed by its {@link OperationKind}. It is validated again
 * where it runs ({@code Task.of}), as where it was submitted. A missing seed is drawn once here, so a job that is
 * taken again after its replica died computes the same result.
 */
final class OperationCodec {
  /** Plain records, no annotations: what is written is exactly the record's components. */
  static final JsonMapper JSON = JsonMapper.builder().disable(MapperFeature.USE_ANNOTATIONS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private OperationCodec() {}

  static String encode(Operation op) {
    return JSON.writeValueAsString(pinSeed(op));
  }

  static Operation decode(OperationKind kind, String json) {
    return JSON.readValue(json.getBytes(StandardCharsets.UTF_8), type(kind));
  }

  static Class<? extends Operation> type(OperationKind kind) {
    return switch (kind) {
      case SAMPLES -> Operation.Sample.class;
      case INPAINT -> Operation.Inpaint.class;
      case COLORIZE -> Operation.Colorize.class;
      case INTERPOLATE -> Operation.Interpolate.class;
      case ENCODE -> Operation.Encode.class;
      case DECODE -> Operation.Decode.class;
      case LIKELIHOOD -> Operation.Likelihood.class;
    };
  }

  /** The operation with a seed drawn for it if it has a seed and none was given (as Operation.seed would draw). */
  static Operation pinSeed(Operation op) {
    long s = ThreadLocalRandom.current().nextLong(1L << 53);
    if (op instanceof Operation.Sample x && x.seed() == null) {
      return new Operation.Sample(x.model(), x.n(), x.sampler(), s, x.classLabel(), x.guidance(), x.guidanceMode());
    }
    if (op instanceof Operation.Inpaint x && x.seed() == null) {
      return new Operation.Inpaint(x.model(), x.image(), x.mask(), x.n(), x.sampler(), s, x.guidance());
    }
    if (op instanceof Operation.Colorize x && x.seed() == null) {
      return new Operation.Colorize(x.model(), x.image(), x.n(), x.sampler(), s, x.guidance());
    }
    if (op instanceof Operation.Likelihood x && x.seed() == null) {
      return new Operation.Likelihood(x.model(), x.images(), x.probes(), x.estimator(), s, x.rtol(), x.atol());
    }
    return op;
  }
}
