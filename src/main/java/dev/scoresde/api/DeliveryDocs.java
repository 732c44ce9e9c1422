package dev.scoresde.api;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import java.util.Arrays;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * The OpenAPI parameters of a {@link Delivery}: {@code async} and {@code timeoutMs} on every operation that takes
 * one, the Accept header where the operation can answer a PNG, and the synchronous answer's {@code Server-Timing}.
 */
final class DeliveryDocs implements OperationCustomizer {

  @Override
  public Operation customize(Operation operation, HandlerMethod method) {
    if (Arrays.stream(method.getMethodParameters()).noneMatch(p -> p.getParameterType() == Delivery.class)) {
      return operation;
    }
    add(operation, new QueryParameter().name("async").description("run as a job: 202 + Location").required(false)
        .schema(new BooleanSchema()._default(false)));
    add(operation, new QueryParameter().name("timeoutMs")
        .description("deadline of a synchronous request in ms (at most the server's sync deadline)").required(false)
        .schema(new IntegerSchema().format("int64")));
    PostMapping post = method.getMethodAnnotation(PostMapping.class);
    if (post != null && Arrays.asList(post.produces()).contains(MediaType.IMAGE_PNG_VALUE)) {
      add(operation, new HeaderParameter().name("Accept").required(false).schema(new StringSchema()));
    }
    if (operation.getResponses() != null && operation.getResponses().get("200") != null) {
      operation.getResponses().get("200").addHeaderObject(Responder.SERVER_TIMING, new Header()
          .description("where the server's time went, in ms: queue (waiting for a worker, batching window "
              + "included), run (the worker's batch), score (inside score evaluations, part of run), encode "
              + "(the PNG or the base64 images)")
          .schema(new StringSchema().example("queue;dur=0.4, run;dur=1180.2, score;dur=1161.9, encode;dur=3.1")));
    }
    return operation;
  }

  /** Once: the JSON and the multipart handler of one path are one operation. */
  private static void add(Operation operation, Parameter p) {
    if (operation.getParameters() == null || operation.getParameters().stream()
        .noneMatch(q -> q.getName().equals(p.getName()) && q.getIn().equals(p.getIn()))) {
      operation.addParametersItem(p);
    }
  }
}
