package dev.scoresde.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The problems each operation answers besides those its controller declares, and one {@code Problem} schema (RFC
 * 9457 with the {@code parameter} member) for every {@code application/problem+json} response. The security
 * answers (401, 403, quota 429) come from {@code api.security.SecurityDocs}.
 */
final class ProblemDocs implements OpenApiCustomizer, org.springframework.core.Ordered {
  static final String PROBLEM_JSON = "application/problem+json";
  private static final String PROBLEM_REF = "#/components/schemas/Problem";
  private static final String UNAVAILABLE = "the model is still loading or failed, or the server is shutting down "
      + "(shutting-down, Retry-After: 1: send it again)";

  /** "METHOD path" → status → description: what the annotations of the jobs and models controllers leave out. */
  private static final Map<String, Map<String, String>> EXTRA = Map.of(
      "GET /v1/models/{name}", Map.of("404", "unknown model"),
      "POST /v1/jobs", ordered("400", "a bad parameter, an unknown operation or malformed JSON", "404",
          "unknown model", "413", "body too large", "422", "the model does not support the operation", "429",
          "queue or job table full; see Retry-After", "503", UNAVAILABLE),
      "GET /v1/jobs/{id}", Map.of("404", "unknown job (finished jobs expire)"),
      "DELETE /v1/jobs/{id}", Map.of("404", "unknown job (finished jobs expire)"),
      "GET /v1/jobs/{id}/events", Map.of("404", "unknown job (finished jobs expire)"));

  @Override
  public int getOrder() {
    return 0;
  }

  @Override
  public void customise(OpenAPI api) {
    api.getComponents().addSchemas("Problem", problemSchema());
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
      String key = method.name() + " " + path;
      EXTRA.getOrDefault(key, Map.of()).forEach((status, text) -> add(op, status, text));
      if (path.startsWith("/v1/models/{name}/")) {
        add(op, "503", UNAVAILABLE);
      }
      op.getResponses().values().forEach(ProblemDocs::withProblemSchema);
    }));
  }

  /** Adds a problem response unless the operation already documents that status. */
  static void add(Operation op, String status, String description) {
    if (op.getResponses() == null) {
      op.setResponses(new ApiResponses());
    }
    op.getResponses().computeIfAbsent(status, s -> new ApiResponse().description(description)
        .content(new Content().addMediaType(PROBLEM_JSON, new MediaType())));
  }

  private static void withProblemSchema(ApiResponse r) {
    MediaType m = r.getContent() == null ? null : r.getContent().get(PROBLEM_JSON);
    if (m != null && m.getSchema() == null) {
      m.setSchema(new Schema<>().$ref(PROBLEM_REF));
    }
  }

  @SuppressWarnings("rawtypes")
  private static Schema problemSchema() {
    Map<String, Schema> p = new LinkedHashMap<>();
    p.put("type", new StringSchema().format("uri").description("urn:score-sde:problem:<slug>")
        .example("urn:score-sde:problem:invalid-parameter"));
    p.put("title", new StringSchema().example("Invalid parameter"));
    p.put("status", new IntegerSchema().example(400));
    p.put("detail", new StringSchema().example("steps must be in [1, 2000], got 0"));
    p.put("instance", new StringSchema().format("uri-reference"));
    p.put("parameter", new StringSchema().description("the request parameter at fault, where there is one")
        .example("steps"));
    return new ObjectSchema().description("An RFC 9457 problem document").properties(p);
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
