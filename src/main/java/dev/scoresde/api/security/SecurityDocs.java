package dev.scoresde.api.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The security the server enforces, in the OpenAPI document: with keys on, both key schemes and each operation's
 * scope from {@link ScopeRules} (the rule the filter chain applies); {@code security: []} where an operation is open
 * (public paths, or every path with keys off); and the answers of the security chain: 401 and 403 with keys, 403
 * for a foreign {@code Origin} always, 429 with quotas.
 */
record SecurityDocs(boolean keys, boolean quota) implements OpenApiCustomizer, org.springframework.core.Ordered {
  static final String BEARER = "bearerKey";
  static final String HEADER = "apiKeyHeader";
  private static final String PROBLEM = "application/problem+json";
  private static final String SCOPES = " A key has scopes, configured with its hash; each operation lists the one it "
      + "needs: sample (models, samples, jobs: read and cancel), operate (every operation and POST /v1/jobs; "
      + "includes sample), admin (everything; includes operate).";

  /** After ProblemDocs, so that a quota's 429 extends the queue's. */
  @Override
  public int getOrder() {
    return LOWEST_PRECEDENCE;
  }

  @Override
  public void customise(OpenAPI api) {
    if (keys) { // with keys off no operation uses a scheme: declaring them would promise a security that is not there
      schemes(api);
    }
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) ->
        document(op, method.name(), path)));
  }

  private static void schemes(OpenAPI api) {
    if (api.getComponents() == null) {
      api.setComponents(new Components());
    }
    api.getComponents()
        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
            .description("An API key as Authorization: Bearer <key>." + SCOPES))
        .addSecuritySchemes(HEADER, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.HEADER).name(ApiKeyFilter.HEADER)
            .description("An API key as " + ApiKeyFilter.HEADER + ": <key>." + SCOPES));
  }

  private void document(Operation op, String method, String path) {
    Scope scope = ScopeRules.required(method, path);
    boolean secured = keys && scope != null;
    op.setSecurity(secured ? List.of(requirement(BEARER, scope), requirement(HEADER, scope)) : new ArrayList<>());
    if (!path.startsWith("/v1/")) {
      return;
    }
    if (secured) {
      problem(op, "401", "no API key, or one that matches no configured key (WWW-Authenticate: Bearer)");
    }
    problem(op, "403", (secured ? "the key lacks scope " + scope.id() + ", or " : "") + "a foreign Origin "
        + "(cross-origin-refused: only this server's origin and score-sde.security.cors.allowed-origins)");
    if (quota) {
      ApiResponse busy = problem(op, "429", "");
      String spent = "the caller's quota is spent (rate-limited, too-many-concurrent)";
      busy.setDescription(busy.getDescription().isEmpty() ? spent + "; see Retry-After"
          : spent + ", or " + busy.getDescription());
    }
  }

  private static SecurityRequirement requirement(String scheme, Scope scope) {
    return new SecurityRequirement().addList(scheme, scope.id());
  }

  /** The operation's response for this status, added as a problem document if it has none. */
  private static ApiResponse problem(Operation op, String status, String description) {
    if (op.getResponses() == null) {
      op.setResponses(new ApiResponses());
    }
    return op.getResponses().computeIfAbsent(status, s -> new ApiResponse().description(description)
        .content(new Content().addMediaType(PROBLEM, new MediaType().schema(new Schema<>()
            .$ref("#/components/schemas/Problem")))));
  }
}
