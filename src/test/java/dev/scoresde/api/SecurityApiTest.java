package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with API keys and quotas on, as the Helm chart runs it: keys by scope, 401/403/429 as problem
 * documents, public probes, Prometheus, docs and static page, health details for admin keys only, token buckets
 * per key and per client address, the work-in-progress bound, usage metrics by key name, and CORS for one origin.
 */
@ActiveProfiles("patterns-only")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "score-sde.serve.default-steps=20",
    "score-sde.serve.limits.max-steps=4000",
    "score-sde.security.enabled=true",
    "score-sde.security.keys.sampler.scopes=sample",
    "score-sde.security.keys.operator.scopes=operate",
    "score-sde.security.keys.root.scopes=admin",
    "score-sde.security.keys.tight.scopes=sample",
    "score-sde.security.keys.tight.requests=3",
    "score-sde.security.keys.single.scopes=operate",
    "score-sde.security.keys.single.max-concurrent=1",
    "score-sde.security.quota.enabled=true",
    "score-sde.security.quota.requests=1000",
    "score-sde.security.quota.period=1m",
    "score-sde.security.quota.anonymous-requests=12",
    "score-sde.security.cors.allowed-origins=https://app.example",
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityApiTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String SAMPLER = "sampler-key-0123456789";
  static final String OPERATOR = "operator-key-0123456789";
  static final String ROOT = "root-key-0123456789";
  static final String TIGHT = "tight-key-0123456789";
  static final String SINGLE = "single-key-0123456789";

  @LocalServerPort int port;

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry r) {
    r.add("score-sde.security.keys.sampler.sha256", () -> sha256(SAMPLER));
    r.add("score-sde.security.keys.operator.sha256", () -> sha256(OPERATOR).toUpperCase());
    r.add("score-sde.security.keys.root.sha256", () -> sha256(ROOT));
    r.add("score-sde.security.keys.tight.sha256", () -> sha256(TIGHT));
    r.add("score-sde.security.keys.single.sha256", () -> sha256(SINGLE));
  }

  @Test
  @Order(1)
  void withoutAKeyTheApiIs401WithABearerChallenge() {
    HttpResponse<String> r = call("GET", "/v1/models", null, null);
    JsonNode p = problem(401, r);
    assertEquals("urn:score-sde:problem:unauthorized", p.get("type").asString());
    assertTrue(p.get("detail").asString().contains("X-API-Key"), p.toString());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
    problem(401, call("POST", "/v1/models/patterns/samples", null, "{}"));
    problem(401, call("GET", "/v1/jobs/x", null, null));
  }

  @Test
  @Order(1)
  void aWrongKeyIs401InvalidToken() {
    HttpResponse<String> r = call("GET", "/v1/models", "not-a-key", null);
    JsonNode p = problem(401, r);
    assertTrue(p.get("detail").asString().contains("not valid"), p.toString());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
    // on a public path too: a key that is sent must be right
    problem(401, send(HttpRequest.newBuilder(uri("/actuator/health")).header("Authorization", "Bearer nope").build()));
  }

  @Test
  @Order(2)
  void aSampleKeySamplesButDoesNotEdit() {
    assertEquals(200, call("GET", "/v1/models", SAMPLER, null).statusCode());
    assertEquals(200, call("GET", "/v1/models/patterns", SAMPLER, null).statusCode());
    assertEquals(200, call("POST", "/v1/models/patterns/samples", SAMPLER,
        "{\"n\": 1, \"steps\": 5, \"classLabel\": 1, \"seed\": 1}").statusCode());
    HttpResponse<String> job = call("POST", "/v1/models/patterns/samples?async=true", SAMPLER, "{\"n\": 1, \"steps\": 5}");
    assertEquals(202, job.statusCode(), job.body());
    String location = job.headers().firstValue("Location").orElseThrow();
    assertEquals(200, call("GET", location, SAMPLER, null).statusCode(), "its own sampling jobs");
    JsonNode p = problem(403, call("POST", "/v1/models/patterns/encode", SAMPLER, "{\"images\": []}"));
    assertEquals("urn:score-sde:problem:forbidden", p.get("type").asString());
    assertTrue(p.get("detail").asString().contains("'sampler'") && p.get("detail").asString().contains("operate"),
        p.toString());
    problem(403, call("POST", "/v1/jobs", SAMPLER, "{\"model\": \"patterns\", \"operation\": \"samples\"}"));
    // a likelihood job, sync or async, is beyond a sample-only key
    problem(403, call("POST", "/v1/models/patterns/likelihood?async=true", SAMPLER, "{\"images\": []}"));
    problem(403, call("POST", "/v1/models/patterns/likelihood", SAMPLER, "{\"images\": []}"));
    problem(403, call("GET", "/actuator/env", SAMPLER, null));
  }

  @Test
  @Order(2)
  void anOperateKeyRunsEveryOperationEitherHeader() {
    HttpResponse<String> encode = send(HttpRequest.newBuilder(uri("/v1/models/patterns/decode"))
        .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"latents\": [[" + "0.1,".repeat(15) + "0.1]]}")).build());
    assertEquals(200, encode.statusCode(), encode.body());
    assertEquals(202, call("POST", "/v1/jobs", OPERATOR, "{\"model\": \"patterns\", \"operation\": \"samples\", "
        + "\"parameters\": {\"n\": 1, \"steps\": 5}}").statusCode());
  }

  @Test
  @Order(2)
  void probesMetricsDocsAndThePageArePublicButHealthDetailsNeedAnAdminKey() {
    assertEquals(200, call("GET", "/actuator/health/liveness", null, null).statusCode());
    assertEquals(200, call("GET", "/actuator/health/readiness", null, null).statusCode());
    assertEquals(200, call("GET", "/actuator/prometheus", null, null).statusCode());
    assertEquals(200, call("GET", "/v3/api-docs", null, null).statusCode());
    assertEquals(200, call("GET", "/swagger-ui/index.html", null, null).statusCode());
    assertNotEquals(401, call("GET", "/", null, null).statusCode(), "the static page asks for a key itself");
    JsonNode anonymous = json(call("GET", "/actuator/health", null, null));
    assertEquals("UP", anonymous.get("status").asString());
    assertFalse(anonymous.has("components"), "no model names without a key: " + anonymous);
    assertFalse(json(call("GET", "/actuator/health", OPERATOR, null)).has("components"), "not for operate keys");
    JsonNode admin = json(call("GET", "/actuator/health", ROOT, null));
    assertEquals("ready", admin.at("/components/models/details/patterns").asString(), admin.toString());
    problem(401, call("GET", "/actuator/beans", null, null));
  }

  @Test
  @Order(3)
  void aKeysBucketEmptiesInto429WithTheRealWait() {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> ok = call("GET", "/v1/models", TIGHT, null);
      assertEquals(200, ok.statusCode());
      assertEquals("3", ok.headers().firstValue("RateLimit-Limit").orElse(null));
      assertEquals(Integer.toString(2 - i), ok.headers().firstValue("RateLimit-Remaining").orElse(null));
    }
    HttpResponse<String> r = call("GET", "/v1/models", TIGHT, null);
    JsonNode p = problem(429, r);
    assertEquals("urn:score-sde:problem:rate-limited", p.get("type").asString());
    long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    // 3 tokens per minute: one every 20 s
    assertTrue(retry >= 15 && retry <= 20, "Retry-After " + retry);
    assertEquals("0", r.headers().firstValue("RateLimit-Remaining").orElse(null));
    assertTrue(Long.parseLong(r.headers().firstValue("RateLimit-Reset").orElseThrow()) >= retry);
    assertEquals(200, call("GET", "/v1/models", SAMPLER, null).statusCode(), "other keys have their own bucket");
  }

  @Test
  @Order(3)
  void aKeysWorkInProgressIsBounded() throws InterruptedException {
    HttpResponse<String> job = call("POST", "/v1/models/patterns/samples?async=true", SINGLE,
        "{\"n\": 1, \"steps\": 4000}");
    assertEquals(202, job.statusCode(), job.body());
    JsonNode p = problem(429, call("POST", "/v1/models/patterns/samples", SINGLE, "{\"n\": 1, \"steps\": 5}"));
    assertEquals("urn:score-sde:problem:too-many-concurrent", p.get("type").asString());
    assertEquals(200, call("GET", job.headers().firstValue("Location").orElseThrow(), SINGLE, null).statusCode(),
        "reading is not work");
    assertEquals(200, call("DELETE", job.headers().firstValue("Location").orElseThrow(), SINGLE, null).statusCode());
    long until = System.currentTimeMillis() + 10_000;
    int status;
    do {
      Thread.sleep(20);
      status = call("POST", "/v1/models/patterns/samples", SINGLE, "{\"n\": 1, \"steps\": 5}").statusCode();
    } while (status == 429 && System.currentTimeMillis() < until);
    assertEquals(200, status, "the cancelled job released its slot");
  }

  @Test
  @Order(4)
  void usageIsCountedPerKeyNameNeverPerKey() {
    assertEquals(200, call("POST", "/v1/models/patterns/samples", SAMPLER, "{\"n\": 1, \"steps\": 7}").statusCode());
    String metrics = call("GET", "/actuator/prometheus", null, null).body();
    assertTrue(metrics.contains("scoresde_api_key_requests_total{key=\"sampler\",outcome=\"success\"}"), metrics);
    assertTrue(metrics.contains("scoresde_api_key_requests_total{key=\"sampler\",outcome=\"client_error\"}"));
    assertTrue(metrics.contains("scoresde_api_key_nfe_total{key=\"sampler\"}"));
    assertTrue(metrics.contains("scoresde_api_key_inference_seconds_total{key=\"sampler\"}"));
    assertTrue(metrics.contains("scoresde_api_key_throttled_total{key=\"tight\",reason=\"rate\"}"));
    assertTrue(metrics.contains("scoresde_api_key_throttled_total{key=\"single\",reason=\"concurrency\"}"));
    for (String secret : new String[] {SAMPLER, OPERATOR, ROOT, TIGHT, SINGLE, sha256(SAMPLER)}) {
      assertFalse(metrics.contains(secret));
    }
  }

  @Test
  @Order(4)
  void anAllowedOriginGetsCorsAndOthersAreRefused() {
    HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/v1/models/patterns/samples"))
        .header("Origin", "https://app.example").header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "x-api-key, content-type")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    assertTrue(preflight.statusCode() < 300, preflight.statusCode() + " " + preflight.body());
    assertEquals("https://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()
        .contains("x-api-key"));
    HttpResponse<String> actual = send(HttpRequest.newBuilder(uri("/v1/models")).header("Origin", "https://app.example")
        .header("X-API-Key", SAMPLER).build());
    assertEquals(200, actual.statusCode());
    assertEquals("https://app.example", actual.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertTrue(actual.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("RateLimit-Remaining"));
    HttpResponse<String> foreign = send(HttpRequest.newBuilder(uri("/v1/models")).header("Origin", "https://evil.example")
        .header("X-API-Key", SAMPLER).build());
    problem(403, foreign);
    assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  @Order(9)
  void anonymousCallersShareTheirAddressesBucket() {
    int seen401 = 0;
    HttpResponse<String> r;
    do {
      r = call("GET", "/v1/models", null, null);
      if (r.statusCode() == 401) {
        seen401++;
        assertTrue(r.headers().firstValue("RateLimit-Limit").isPresent(), "401s count against the address too");
      }
    } while (r.statusCode() == 401 && seen401 <= 12);
    JsonNode p = problem(429, r);
    assertTrue(p.get("detail").asString().contains("anonymous"), p.toString());
    assertTrue(r.headers().firstValue("Retry-After").isPresent());
    assertEquals(200, call("GET", "/actuator/health/liveness", null, null).statusCode(), "probes have no quota");
    assertEquals(200, call("GET", "/v1/models", SAMPLER, null).statusCode(), "a key has its own bucket");
  }

  // ---- helpers

  URI uri(String path) {
    return URI.create(path.startsWith("http") ? path : "http://localhost:" + port + path);
  }

  HttpResponse<String> call(String method, String path, String key, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return send(b.build());
  }

  static HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  static JsonNode problem(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), () -> r.uri() + " " + r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
        () -> r.headers() + " " + r.body());
    JsonNode p = json(r);
    assertEquals(status, p.get("status").asInt());
    for (String member : new String[] {"type", "title", "detail"}) {
      assertTrue(p.hasNonNull(member), member + " in " + r.body());
    }
    return p;
  }

  static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
