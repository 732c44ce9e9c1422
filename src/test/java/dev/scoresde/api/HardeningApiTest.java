package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP layer's defences with API keys off (the default): whatever a client sends, the answer is a problem
 * document, names what was wrong without echoing it at length or showing file paths, and nothing reaches a file
 * outside the configured model folders.
 */
class HardeningApiTest extends ServiceTestBase {
  static final String SAMPLES = "/v1/models/patterns/samples";
  static final byte[] P4 = ServiceFixtures.grayPng(4, (x, y) -> 40 * x);

  static Stream<Arguments> requestsTomcatRefuses() {
    String tail = " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    return Stream.of(
        Arguments.of("encoded ../", "GET /v1/models/%2e%2e/%2e%2e/etc/passwd" + tail),
        Arguments.of("encoded slash", "GET /v1/models/..%2F..%2Fetc%2Fpasswd" + tail),
        Arguments.of("encoded NUL", "GET /v1/models/a%00b" + tail),
        Arguments.of("encoded backslash", "GET /v1/models/..%5C..%5Cetc" + tail),
        Arguments.of("bad request line", "GARBAGE\r\n\r\n"),
        Arguments.of("space in the target", "GET /v1/mo dels" + tail),
        Arguments.of("oversized header", "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(40_000)
            + "\r\nConnection: close\r\n\r\n"),
        Arguments.of("negative Content-Length", "POST " + SAMPLES + " HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}"),
        Arguments.of("two Content-Lengths", "POST " + SAMPLES + " HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requestsTomcatRefuses")
  void tomcatsOwnRefusalsAreProblemDocuments(String what, String request) throws IOException {
    RawHttp r = RawHttp.send(port, request);
    assertEquals(400, r.status(), what + ": " + r.body());
    problem(400, r);
    assertFalse(r.body().contains("<html"), r.body());
    assertFalse(r.body().contains("passwd"), "nothing of the request is echoed: " + r.body());
  }

  @Test
  void traceIsA405Problem() throws IOException {
    RawHttp r = RawHttp.send(port, "TRACE /v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertEquals(405, r.status(), r.body());
    problem(405, r);
  }

  @Test
  void aChunkedJsonBodyIsCountedAgainstTheLimit() {
    // 70 KB against the tests' 64 KB limit, sent without Content-Length (java.net.http chunks an input stream)
    byte[] big = ("{\"n\": 1, \"sampler\": \"" + "x".repeat(70_000) + "\"}").getBytes();
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri(SAMPLES)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
    JsonNode p = expect(413, r);
    assertTrue(p.get("detail").asString().contains("65536"), p.toString());
    byte[] small = "{\"n\": 1, \"steps\": 5, \"seed\": 3}".getBytes();
    expect(200, send(HttpRequest.newBuilder(uri(SAMPLES)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build()));
  }

  @Test
  void aChunkedMultipartUploadIsCountedAgainstTheLimit() {
    HttpRequest sized = Multipart.builder().file("image", "a.png", new byte[80_000]).file("mask", "m.png", P4)
        .request(uri("/v1/models/patterns/inpaint"));
    byte[] body = bytes(sized);
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/models/patterns/inpaint"))
        .header("Content-Type", sized.headers().firstValue("Content-Type").orElseThrow())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
    expect(413, r);
  }

  @Test
  void echoedValuesAreCut() {
    JsonNode p = expect(400, postJson(SAMPLES, "{\"sampler\": \"" + "x".repeat(60_000) + "\"}"));
    String detail = p.get("detail").asString();
    assertTrue(detail.length() < 600, detail.length() + " characters");
    assertTrue(detail.contains("x".repeat(64) + "…'"), detail);
    assertEquals("sampler", p.get("parameter").asString());
    JsonNode unknown = expect(404, get("/v1/models/" + "m".repeat(5000)));
    assertTrue(unknown.get("detail").asString().length() < 600, unknown.toString());
    JsonNode field = expect(400, postJson(SAMPLES, "{\"" + "f".repeat(20_000) + "\": 1}"));
    assertTrue(field.toString().length() < 1500, field.toString().length() + " characters");
  }

  @Test
  void numbersAreNotCoercedToStrings() {
    JsonNode model = expect(400, postJson("/v1/jobs", "{\"model\": 5, \"operation\": \"samples\"}"));
    assertTrue(model.get("detail").asString().contains("model must be a JSON string, not a number"), model.toString());
    JsonNode sampler = expect(400, postJson(SAMPLES, "{\"sampler\": 5}"));
    assertTrue(sampler.get("detail").asString().contains("sampler must be a JSON string"), sampler.toString());
    expect(400, postJson(SAMPLES, "{\"corrector\": true}"));
    expect(400, postJson(SAMPLES, "{\"timeGrid\": 1.5}"));
    JsonNode job = expect(400, postJson("/v1/jobs", "{\"model\": \"patterns\", \"operation\": \"samples\", "
        + "\"parameters\": {\"sampler\": 7}}"));
    assertTrue(job.toString().contains("sampler"), job.toString());
    // a class is "id or name": a number stays allowed there
    expect(200, postJson(SAMPLES, "{\"n\": 1, \"steps\": 5, \"classLabel\": 1, \"seed\": 2}"));
  }

  @Test
  void aBrokenModelsErrorsShowNoFilePaths() {
    String dir = DIR.toString();
    JsonNode model = expect(200, get("/v1/models/broken"));
    String error = model.get("error").asString();
    assertTrue(error.contains("model.json"), error);
    assertFalse(error.contains(dir), error);
    JsonNode p = expect(503, postJson("/v1/models/broken/samples", "{}"));
    assertTrue(p.get("detail").asString().contains("model.json"), p.toString());
    assertFalse(p.get("detail").asString().contains(dir), p.toString());
    for (JsonNode m : expect(200, get("/v1/models"))) {
      assertFalse(m.path("error").asString("").contains(dir), m.toString());
    }
    // the health details, open to everyone with keys off, name the file but not where it lives
    String health = expect(200, get("/actuator/health")).at("/components/models/details/broken").asString();
    assertTrue(health.startsWith("failed: ") && health.contains("model.json"), health);
    assertFalse(health.contains(dir), health);
  }

  @Test
  void unknownMultipartFieldsAreRefusedByName() {
    JsonNode p = expect(400, send(Multipart.builder().file("image", "a.png", P4).file("mask", "m.png", P4)
        .field("stepz", "10").request(uri("/v1/models/patterns/inpaint"))));
    assertEquals("stepz", p.get("parameter").asString());
    assertTrue(p.get("detail").asString().contains("steps"), "the allowed names are listed: " + p);
    expect(400, send(Multipart.builder().file("image", "a.png", P4).field("mask2", "x")
        .request(uri("/v1/models/patterns/colorize"))));
    // the known fields still bind
    expect(200, send(Multipart.builder().file("image", "a.png", P4).file("mask", "m.png", P4).field("n", "1")
        .field("steps", "5").field("seed", "1").request(uri("/v1/models/patterns/inpaint"))));
  }

  @Test
  void multipartWithoutABoundaryIs400() {
    JsonNode p = expect(400, send(HttpRequest.newBuilder(uri("/v1/models/patterns/inpaint"))
        .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofString("abc")).build()));
    assertEquals("urn:score-sde:problem:malformed-multipart", p.get("type").asString());
  }

  @Test
  void modelNamesAreRegistryKeysNotPaths() throws IOException {
    for (String name : new String[] {"../../../etc/passwd", "..", "/etc/passwd", "..\\..\\windows", "broken/../tiny"}) {
      JsonNode p = expect(404, postJson("/v1/jobs", "{\"model\": \"" + name.replace("\\", "\\\\")
          + "\", \"operation\": \"samples\"}"));
      assertTrue(p.get("detail").asString().startsWith("unknown model"), p.toString());
    }
    // ".." in a path is normalized away by Tomcat before routing: no model is named by it
    RawHttp dots = RawHttp.send(port, "GET /v1/models/../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n"
        + "Connection: close\r\n\r\n");
    assertTrue(dots.status() == 400 || dots.status() == 404, dots.status() + " " + dots.body());
    problem(dots.status(), dots);
    expect(400, get("/v1/models/..%252F..%252Fetc"));
  }

  @Test
  void withCorsOffAForeignOriginIsRefusedAndNoCorsHeaderIsSent() {
    HttpRequest upload = Multipart.builder().file("image", "a.png", P4).file("mask", "m.png", P4).field("n", "1")
        .field("steps", "5").request(uri("/v1/models/patterns/inpaint"));
    HttpResponse<String> foreign = send(HttpRequest.newBuilder(upload, (k, v) -> true)
        .header("Origin", "https://evil.example").build());
    JsonNode p = expect(403, foreign);
    assertEquals("urn:score-sde:problem:cross-origin-refused", p.get("type").asString());
    assertTrue(foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    assertEquals(403, send(HttpRequest.newBuilder(uri(SAMPLES)).header("Origin", "null")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build())
        .statusCode(), "Origin: null (a sandboxed page) is foreign too");
    HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri(SAMPLES)).header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    expect(403, preflight);
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    // this server's own origin (the static page, Swagger UI) passes
    HttpResponse<String> same = send(HttpRequest.newBuilder(upload, (k, v) -> true)
        .header("Origin", "http://localhost:" + port).build());
    expect(200, same);
    assertTrue(same.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    for (HttpResponse<String> r : java.util.List.of(get("/v1/models"), get("/swagger-ui/index.html"),
        get("/v1/models/nope"), postJson(SAMPLES, "{\"n\": 0}"))) {
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), r.uri().toString());
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
      assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null));
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    }
  }

  @Test
  void withKeysOffEveryoneSeesHealthDetails() {
    JsonNode h = expect(200, get("/actuator/health"));
    assertEquals("ready", h.at("/components/models/details/patterns").asString(), h.toString());
    assertNull(get("/v1/models").headers().firstValue("RateLimit-Limit").orElse(null), "quotas are off by default");
  }

  static void problem(int status, RawHttp r) {
    assertTrue(String.valueOf(r.header("Content-Type")).startsWith("application/problem+json"),
        r.headers() + " " + r.body());
    JsonNode p = JSON.readTree(r.body());
    assertEquals(status, p.get("status").asInt());
    assertTrue(p.hasNonNull("type") && p.hasNonNull("title") && p.hasNonNull("detail"), r.body());
  }

  static byte[] bytes(HttpRequest r) {
    var sub = new java.util.concurrent.CompletableFuture<byte[]>();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    r.bodyPublisher().orElseThrow().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
      @Override
      public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(java.nio.ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.writeBytes(a);
      }

      @Override
      public void onError(Throwable t) {
        sub.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        sub.complete(out.toByteArray());
      }
    });
    return sub.join();
  }
}
