package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document as production serves it (keys, quotas and CORS on, as the Helm chart runs the server) passes
 * the pinned Redocly CLI's recommended rules with no error and no warning, and declares the security the filter
 * chain enforces. The lint is skipped only where {@code npm ci} has not been run in tools/openapi-lint (.ci/run runs
 * it). ObservabilityApiTest lints the document of the default configuration (keys off).
 */
@ActiveProfiles("patterns-only")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "score-sde.security.enabled=true",
    "score-sde.security.keys.ci.sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "score-sde.security.quota.enabled=true",
    "score-sde.security.cors.allowed-origins=https://app.example",
})
class OpenApiLintTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;

  @Test
  void theServedDocumentPassesRedoclysRecommendedRules() throws Exception {
    RedoclyLint.assertClean(apiDocs(), "api-docs");
  }

  @Test
  void eachOperationRequiresTheScopeTheServerEnforces() throws Exception {
    JsonNode doc = JSON.readTree(apiDocs());
    JsonNode schemes = doc.at("/components/securitySchemes");
    assertEquals("bearer", schemes.at("/bearerKey/scheme").asString());
    assertEquals("X-API-Key", schemes.at("/apiKeyHeader/name").asString());
    for (List<String> c : List.of(List.of("get", "/v1/models", "sample"), List.of("post", "/v1/models/{name}/samples",
        "sample"), List.of("delete", "/v1/jobs/{id}", "sample"), List.of("get", "/v1/jobs/{id}/events", "sample"),
        List.of("post", "/v1/models/{name}/inpaint", "operate"), List.of("post", "/v1/jobs", "operate"))) {
      JsonNode op = doc.at("/paths/" + c.get(1).replace("/", "~1") + "/" + c.get(0));
      assertEquals(c.get(2), op.at("/security/0/bearerKey/0").asString(), c + ": " + op.get("security"));
      assertEquals(c.get(2), op.at("/security/1/apiKeyHeader/0").asString(), c + ": " + op.get("security"));
      assertTrue(op.at("/responses/401").isObject() && op.at("/responses/403").isObject(), c.toString());
    }
    assertTrue(doc.at("/info/license/identifier").isString() && doc.at("/info/contact").isObject());
  }

  private String apiDocs() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + "/v3/api-docs")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), "the document is public: " + r.body());
    return r.body();
  }
}
