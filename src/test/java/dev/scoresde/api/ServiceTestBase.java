package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.serve.runtime.InferenceService;
import dev.scoresde.serve.model.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service on a random port with fast models: the analytic "patterns" (1 × 4 × 4, 4 classes) and
 * "colors" (3 × 4 × 4) mixtures, a tiny random network "tiny" (1 × 8 × 8 from 6 × 6, 2 classes, VP), a
 * checkpoint of the reference implementation imported as "imported" (NCSN++, VE, 3 × 16 × 16), a broken
 * folder and a disabled entry. Every subclass shares this one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "score-sde.models.patterns.kind=gaussian-mixture",
    "score-sde.models.patterns.mixture.preset=patterns-16",
    "score-sde.models.colors.kind=gaussian-mixture",
    "score-sde.models.colors.mixture.preset=colors-48",
    "score-sde.models.off.enabled=false",
    "score-sde.models.off.folder=/nonexistent",
    "score-sde.models.fashion-mnist-ddpmpp-vp.enabled=false",
    "score-sde.models.fashion-mnist-ncsnpp-ve.enabled=false",
    "score-sde.models.photos-ddpmpp-vp.enabled=false",
    "score-sde.serve.default-steps=20",
    "score-sde.serve.queue-capacity=4",
    "score-sde.serve.sync-deadline=30s",
    "score-sde.serve.batching.max-delay=40ms",
    "score-sde.serve.batching.max-batch=16",
    "score-sde.serve.limits.max-n=16",
    "score-sde.serve.limits.max-steps=4000",
    "score-sde.serve.limits.max-frames=16",
    "score-sde.serve.limits.max-images=8",
    "score-sde.serve.limits.max-probes=8",
    "score-sde.api.max-json-size=64KB",
    "spring.servlet.multipart.max-file-size=32KB",
    "spring.servlet.multipart.max-request-size=64KB",
})
abstract class ServiceTestBase {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final Path DIR = tempDir();

  @LocalServerPort int port;
  @Autowired ModelRegistry registry;
  @Autowired InferenceService inference;

  @DynamicPropertySource
  static void models(DynamicPropertyRegistry r) {
    Path tiny = DIR.resolve("tiny");
    if (!Files.exists(tiny)) {
      ServiceFixtures.tinyNetwork(tiny);
      ServiceFixtures.tinyClassifier(DIR.resolve("tiny-classifier"));
      ServiceFixtures.brokenModel(DIR.resolve("broken"));
    }
    r.add("score-sde.models.tiny.folder", tiny::toString);
    r.add("score-sde.models.tiny.classifier", () -> DIR.resolve("tiny-classifier").toString());
    r.add("score-sde.models.broken.folder", () -> DIR.resolve("broken").toString());
    r.add("score-sde.models.imported.folder", () -> ServiceFixtures.importedReferenceModel(DIR.resolve("imported")));
  }

  private static Path tempDir() {
    try {
      Path d = Files.createTempDirectory("service-test");
      d.toFile().deleteOnExit();
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void modelsLoaded() throws Exception {
    registry.loaded().get(60, TimeUnit.SECONDS);
  }

  URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  HttpResponse<String> postJson(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<byte[]> postJsonForBytes(String path, String body, String accept) {
    try {
      return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
          .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Occupies the (single) inference worker with a long sampling job, so that the next requests queue up together;
   * {@link #releaseWhenQueued} ends it. Returns the job's location.
   */
  String occupyWorker() throws InterruptedException {
    String location = postJson("/v1/models/patterns/samples?async=true", "{\"n\": 1, \"steps\": 4000}").headers()
        .firstValue("Location").orElseThrow();
    long until = System.currentTimeMillis() + 30_000;
    while (json(get(location)).at("/progress/step").asInt(0) < 1) {
      assertTrue(System.currentTimeMillis() < until, "the blocker makes no progress");
      Thread.sleep(5);
    }
    return location;
  }

  /** Cancels the blocker once {@code tasks} requests wait in the queue: they are then taken together. */
  void releaseWhenQueued(String blocker, int tasks) throws InterruptedException {
    long until = System.currentTimeMillis() + 30_000;
    while (inference.queueDepth() < tasks) {
      assertTrue(System.currentTimeMillis() < until, "only " + inference.queueDepth() + " of " + tasks + " queued");
      Thread.sleep(5);
    }
    assertEquals(200, delete(blocker).statusCode());
  }

  HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  /** Asserts status and, for errors, an RFC 9457 problem document with that status. */
  static JsonNode expect(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), () -> "body: " + r.body());
    if (status >= 400) {
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
          () -> "problem+json expected, got " + r.headers().firstValue("Content-Type") + ": " + r.body());
      JsonNode p = json(r);
      assertEquals(status, p.get("status").asInt(), r.body());
      assertTrue(p.hasNonNull("title") && p.hasNonNull("type"), r.body());
      return p;
    }
    return r.body().isEmpty() ? null : json(r);
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] unb64(String s) {
    return Base64.getDecoder().decode(s);
  }
}
