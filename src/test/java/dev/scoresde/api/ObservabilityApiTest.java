package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ObservabilityApiTest extends ServiceTestBase {

  @Test
  void prometheusShowsRequestsNfeBatchesQueueAndLatencyBySampler() {
    expect(200, postJson("/v1/models/patterns/samples", "{\"n\": 1, \"steps\": 5, \"sampler\": \"ode\", \"rtol\": 0.01,"
        + " \"atol\": 0.01}"));
    expect(400, postJson("/v1/models/patterns/samples", "{\"n\": 0}"));
    String metrics = get("/actuator/prometheus").body();
    for (String name : List.of("scoresde_api_requests_total{endpoint=\"POST /v1/models/{name}/samples\",outcome=\"success\"",
        "outcome=\"client_error\"", "scoresde_inference_nfe", "scoresde_inference_batch_rows",
        "scoresde_inference_queue_depth", "scoresde_inference_latency_seconds_count{operation=\"samples\",sampler=\"ode\"}",
        "scoresde_inference_tasks_total")) {
      assertTrue(metrics.contains(name), name + " in\n" + metrics.lines().filter(l -> l.contains("scoresde")).toList());
    }
  }

  @Test
  void openApiDescribesEveryEndpointWithSummaries() {
    JsonNode doc = expect(200, get("/v3/api-docs"));
    for (String path : List.of("/v1/models", "/v1/models/{name}", "/v1/models/{name}/samples",
        "/v1/models/{name}/inpaint", "/v1/models/{name}/colorize", "/v1/models/{name}/interpolate",
        "/v1/models/{name}/encode", "/v1/models/{name}/decode", "/v1/models/{name}/likelihood", "/v1/jobs",
        "/v1/jobs/{id}", "/v1/jobs/{id}/events")) {
      JsonNode item = doc.at("/paths/" + path.replace("/", "~1"));
      assertTrue(item.isObject() && !item.isEmpty(), path + " documented");
      item.properties().forEach(op -> assertTrue(op.getValue().hasNonNull("summary"), path + " " + op.getKey()));
    }
    assertTrue(doc.at("/components/schemas/Sample/example").isObject() || doc.at("/components/schemas/Sample").toString()
        .contains("example"), "request examples are published");
    assertEquals(200, get("/swagger-ui/index.html").statusCode());
    assertTrue(get("/swagger-ui.html").statusCode() < 400);
  }

  /** With keys off (the default) every operation is open, {@code security: []}, and no scheme is declared. */
  @Test
  void theDocumentWithKeysOffPassesRedoclysRecommendedRules() throws Exception {
    HttpResponse<String> r = get("/v3/api-docs");
    JsonNode doc = expect(200, r);
    assertTrue(doc.at("/components/securitySchemes").isMissingNode(), doc.at("/components").toString());
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> assertTrue(
        op.getValue().get("security").isArray() && op.getValue().get("security").isEmpty(), path.getKey())));
    RedoclyLint.assertClean(r.body(), "api-docs-keys-off");
  }

  /** Swagger UI renders every operation in a real browser (skipped where Chromium is not installed). */
  @Test
  void swaggerUiRendersInHeadlessChromium() throws IOException, InterruptedException {
    Path chromium = Path.of("/usr/bin/chromium");
    Assumptions.assumeTrue(Files.isExecutable(chromium), "no /usr/bin/chromium");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--dump-dom", "--virtual-time-budget=15000", uri("/swagger-ui/index.html").toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    for (String path : List.of("/v1/models/{name}/samples", "/v1/models/{name}/inpaint", "/v1/jobs/{id}/events",
        "/v1/models/{name}/likelihood")) {
      assertTrue(dom.contains(path), path + " rendered by Swagger UI");
    }
  }
}
