package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.scoresde.ScoreSdeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SIGTERM on a real server process (what Kubernetes sends) with a synchronous request and an SSE-watched job running:
 * the request is answered 503 shutting-down with Retry-After: 1, the stream ends with a {@code failed} event giving
 * the reason, a request arriving meanwhile is refused as shutting down (or not accepted at all), and the JVM exits
 * well within Kubernetes' 30 s grace period.
 */
class ShutdownProcessTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final Path LOG = Path.of("target/shutdown-process-test.log");
  /** Far longer than the test: both tasks are still computing when SIGTERM arrives. */
  static final String JOB = "{\"n\": 16, \"steps\": 10000, \"corrector\": \"langevin\", \"seed\": 1}";
  static final String SYNC = "{\"n\": 16, \"steps\": 9999, \"corrector\": \"langevin\", \"seed\": 2}";

  Process server;

  @AfterEach
  void kill() {
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
    }
  }

  @Test
  void sigtermFailsRunningWorkAsRetryableAndExitsWithinTheGracePeriod() throws Exception {
    int port = freePort();
    server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        ScoreSdeApplication.class.getName(), "--server.port=" + port,
        "--score-sde.models.colors.enabled=false", "--score-sde.models.fashion-mnist-ddpmpp-vp.enabled=false",
        "--score-sde.models.fashion-mnist-ncsnpp-ve.enabled=false", "--score-sde.models.photos-ddpmpp-vp.enabled=false",
        "--score-sde.serve.workers=2", "--score-sde.serve.limits.max-steps=10000")
        .redirectErrorStream(true).redirectOutput(LOG.toFile()).start();
    String base = "http://localhost:" + port;
    awaitReady(base);

    HttpResponse<String> job = send(post(base + "/v1/models/patterns/samples?async=true", JOB));
    assertEquals(202, job.statusCode(), job.body());
    String location = job.headers().firstValue("Location").orElseThrow();
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> stream = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + location + "/events"))
        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines())
        .thenAccept(r -> r.body().forEach(events::add));
    CompletableFuture<HttpResponse<String>> sync = HTTP.sendAsync(post(base + "/v1/models/patterns/samples", SYNC),
        HttpResponse.BodyHandlers.ofString());
    awaitBatchesStarted(base, 2); // the job's and the synchronous request's (different steps: never merged)
    awaitEvent(events, "event:progress");

    long sigterm = System.nanoTime();
    server.destroy(); // SIGTERM
    HttpResponse<String> late = null;
    try {
      late = send(HttpRequest.newBuilder(post(base + "/v1/models/patterns/samples", "{\"n\": 1, \"steps\": 10}"),
          (n, v) -> true).timeout(Duration.ofSeconds(20)).build());
    } catch (IllegalStateException refused) {
      // the connector no longer accepts connections: also a refusal a client retries elsewhere
    }
    boolean exited = server.waitFor(15, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - sigterm) / 1e9;
    assertTrue(exited, "still running 15 s after SIGTERM\n" + log());

    shuttingDown(sync.get(5, TimeUnit.SECONDS), "the running synchronous request");
    if (late != null && late.statusCode() != 200) {
      shuttingDown(late, "a request sent after SIGTERM");
    }
    stream.get(5, TimeUnit.SECONDS);
    int failed = events.lastIndexOf("event:failed");
    assertTrue(failed >= 0, "the stream ends with a failed event: " + events.subList(Math.max(0, events.size() - 6),
        events.size()));
    JsonNode data = JSON.readTree(events.get(failed + 1).substring("data:".length()));
    assertEquals("failed", data.get("status").asString());
    assertTrue(data.get("error").asString().contains("shutting down"), data.toString());
    System.out.printf("exited %.1f s after SIGTERM; a request sent after it: %s%n", seconds,
        late == null ? "connection refused or closed" : late.statusCode());
  }

  private static void shuttingDown(HttpResponse<String> r, String what) {
    assertEquals(503, r.statusCode(), what + ": " + r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
    assertEquals("urn:score-sde:problem:shutting-down", JSON.readTree(r.body()).get("type").asString(), what);
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), what);
  }

  private void awaitReady(String base) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < until) {
      assertTrue(server.isAlive(), "the server exited at start-up\n" + log());
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    fail("not ready after 90 s\n" + log());
  }

  private static void awaitBatchesStarted(String base, int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      String metrics = send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build()).body();
      double started = metrics.lines().filter(l -> l.startsWith("scoresde_inference_batch_tasks_count"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      if (started >= n) {
        return;
      }
      Thread.sleep(50);
    }
    fail("the two tasks did not start");
  }

  private static void awaitEvent(List<String> events, String line) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!events.contains(line)) {
      assertTrue(System.nanoTime() < until, "no " + line + " in " + events);
      Thread.sleep(20);
    }
  }

  private static HttpRequest post(String uri, String body) {
    return HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse<String> send(HttpRequest r) {
    try {
      return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String log() {
    try {
      List<String> lines = Files.readAllLines(LOG, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
