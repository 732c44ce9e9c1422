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

  /**
   * A synchronous answer says where the server's time went: queue, the worker's run, the score evaluations inside
   * it, and encoding, as JSON and as a PNG; the score evaluations take time and fit inside the run, and the parts fit
   * inside the client's wall time. A job's 202 has no such header: its work has not run yet.
   */
  @Test
  void synchronousAnswersCarryServerTimingWithScoreInsideRun() {
    for (String accept : List.of("application/json", "image/png")) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = postJsonForBytes("/v1/models/tiny/samples", "{\"n\": 2, \"sampler\": \"pc\", "
          + "\"steps\": 40, \"seed\": 1}", accept);
      double wallMs = (System.nanoTime() - t0) / 1e6;
      assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      String header = r.headers().firstValue("Server-Timing").orElseThrow();
      java.util.Map<String, Double> parts = new java.util.HashMap<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\w+);dur=([0-9.]+)").matcher(header);
      while (m.find()) {
        parts.put(m.group(1), Double.parseDouble(m.group(2)));
      }
      assertEquals(java.util.Set.of("queue", "run", "score", "encode"), parts.keySet(), header);
      assertTrue(parts.get("score") > 0 && parts.get("score") <= parts.get("run"), header);
      assertTrue(parts.get("queue") + parts.get("run") + parts.get("encode") <= wallMs, header + " within " + wallMs);
    }
    HttpResponse<String> job = postJson("/v1/models/patterns/samples?async=true", "{\"n\": 1, \"steps\": 5}");
    assertEquals(202, job.statusCode(), job.body());
    assertTrue(job.headers().firstValue("Server-Timing").isEmpty());
    JsonNode doc = expect(200, get("/v3/api-docs"));
    assertTrue(doc.at("/paths/~1v1~1models~1{name}~1samples/post/responses/200/headers/Server-Timing").isObject(),
        doc.at("/paths/~1v1~1models~1{name}~1samples/post/responses/200").toString());
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
