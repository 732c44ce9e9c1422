package dev.scoresde.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.serve.runtime.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two real server processes (separate JVMs) on one redis-server ({@code score-sde.jobs.store=redis}, heartbeat 1 s,
 * lease 3 s), serving the analytic "patterns" mixture: a job submitted on one replica is followed (SSE) and read on
 * the other; a job running on one is cancelled from the other; and a replica killed mid-job has its job taken
 * again by the survivor, which finishes it once. Skipped without {@code /usr/bin/redis-server} (.ci/run installs it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String PREFIX = "score-sde:";
  /** One client's share of the job table here (every request of this test comes from one address). */
  static final int SHARE = 8;

  static RedisServer redis;
  static LettuceConnectionFactory connections;
  static StringRedisTemplate store;
  static Replica a;
  static Replica b;

  /** One server process, its port and its log. */
  record Replica(String name, Process process, int port, Path log) {
    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
    connections.afterPropertiesSet();
    connections.start();
    store = new StringRedisTemplate(connections);
    a = launch("A");
    b = launch("B");
    awaitReady(a);
    awaitReady(b);
  }

  @AfterAll
  static void stop() {
    for (Replica r : new Replica[] {a, b}) {
      if (r != null) {
        r.process().destroyForcibly();
      }
    }
    if (connections != null) {
      connections.destroy();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static Replica launch(String name) throws IOException {
    int port = freePort();
    Path log = Path.of("target", "two-replicas-" + name + ".log");
    Files.createDirectories(log.getParent());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx768m", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-cp", classPath,
        "dev.scoresde.ScoreSdeApplication", "--server.port=" + port, "--score-sde.jobs.store=redis",
        "--spring.data.redis.url=" + redis.url(), "--score-sde.jobs.redis.heartbeat=1s",
        "--score-sde.jobs.redis.lease=3s", "--score-sde.jobs.redis.poll=100ms", "--score-sde.jobs.redis.replica=" + name,
        "--score-sde.serve.limits.max-steps=10000", "--score-sde.serve.limits.max-n=16",
        "--score-sde.models.colors.enabled=false", "--score-sde.models.fashion-mnist-ddpmpp-vp.enabled=false",
        "--score-sde.models.fashion-mnist-ncsnpp-ve.enabled=false", "--score-sde.models.photos-ddpmpp-vp.enabled=false",
        "--score-sde.serve.max-jobs-per-client=" + SHARE, "--spring.data.redis.timeout=2s",
        "--logging.level.dev.scoresde.serve.runtime.redis=DEBUG"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Replica(name, p, port, log);
  }

  static void awaitReady(Replica r) throws Exception {
    long until = System.currentTimeMillis() + 90_000;
    while (true) {
      assertTrue(r.process().isAlive(), r.name() + " exited; see " + r.log());
      try {
        HttpResponse<String> h = HTTP.send(HttpRequest.newBuilder(r.uri("/actuator/health/readiness")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (h.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      assertTrue(System.currentTimeMillis() < until, r.name() + " not ready; see " + r.log());
      Thread.sleep(200);
    }
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static HttpResponse<String> send(Replica r, String method, String path, String body) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(r.uri(path)).timeout(Duration.ofSeconds(60));
    req = body == null ? req.method(method, HttpRequest.BodyPublishers.noBody())
        : req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode expect(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), () -> r.uri() + ": " + r.body());
    return JSON.readTree(r.body());
  }

  /** Submits a sampling job on {@code r}; returns its id. */
  static String submit(Replica r, String body) throws Exception {
    return expect(202, send(r, "POST", "/v1/models/patterns/samples?async=true", body)).get("id").asString();
  }

  static JsonNode job(Replica r, String id) throws Exception {
    return expect(200, send(r, "GET", "/v1/jobs/" + id, null));
  }

  static JsonNode await(Replica r, String id, Predicate<JsonNode> done, String what) throws Exception {
    long until = System.currentTimeMillis() + 60_000;
    while (true) {
      JsonNode j = job(r, id);
      if (done.test(j)) {
        return j;
      }
      assertTrue(System.currentTimeMillis() < until, what + ": " + j);
      Thread.sleep(50);
    }
  }

  static String status(JsonNode j) {
    return j.get("status").asString();
  }

  /** The replica whose worker holds the job now (read from the job's hash in Redis). */
  static Replica runner(String id) throws Exception {
    long until = System.currentTimeMillis() + 30_000;
    while (true) {
      Object w = store.opsForHash().get(PREFIX + "job:" + id, "worker");
      Object state = store.opsForHash().get(PREFIX + "job:" + id, "state");
      if ("running".equals(state) && w != null && !w.toString().isEmpty()) {
        return w.toString().startsWith("A/") ? a : b;
      }
      assertTrue(System.currentTimeMillis() < until, "job " + id + " never started");
      Thread.sleep(20);
    }
  }

  static double tasks(Replica r, String outcome) throws Exception {
    String metrics = expect200(send(r, "GET", "/actuator/prometheus", null));
    return metrics.lines().filter(l -> l.startsWith("scoresde_inference_tasks_total{")
            && l.contains("outcome=\"" + outcome + "\"")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static String expect200(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r::body);
    return r.body();
  }

  /** Events (name, data) of a job's SSE stream on {@code r}, read until the stream ends. */
  static CompletableFuture<List<Map.Entry<String, JsonNode>>> events(Replica r, String id) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        HttpResponse<Stream<String>> s = HTTP.send(HttpRequest.newBuilder(r.uri("/v1/jobs/" + id + "/events"))
            .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, s.statusCode());
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        String event = null;
        for (String line : (Iterable<String>) s.body()::iterator) {
          if (line.startsWith("event:")) {
            event = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            out.add(Map.entry(event, JSON.readTree(line.substring(5))));
          }
        }
        return out;
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  @Order(1)
  void aJobSubmittedOnOneReplicaIsFollowedAndReadOnTheOther() throws Exception {
    String body = "{\"n\": 2, \"steps\": 1500, \"seed\": 11}";
    String id = submit(a, body);
    List<Map.Entry<String, JsonNode>> events = events(b, id).get(60, TimeUnit.SECONDS);
    Map.Entry<String, JsonNode> last = events.get(events.size() - 1);
    assertEquals("succeeded", last.getKey(), "the stream ends with the job's end, as in one process: " + events);
    assertEquals(id, last.getValue().get("id").asString());
    List<Integer> steps = events.stream().filter(e -> e.getKey().equals("progress"))
        .map(e -> e.getValue().get("step").asInt()).toList();
    assertTrue(steps.size() >= 2, "progress while it ran: " + events);
    for (int i = 1; i < steps.size(); i++) {
      assertTrue(steps.get(i) > steps.get(i - 1), "steps increase: " + steps);
    }
    assertTrue(events.stream().filter(e -> e.getKey().equals("progress"))
        .allMatch(e -> e.getValue().get("totalSteps").asInt() == 1500));
    JsonNode onB = job(b, id);
    JsonNode onA = job(a, id);
    assertEquals("succeeded", status(onB));
    assertEquals(2, onB.at("/result/images").size());
    assertEquals(onA.get("result"), onB.get("result"), "every replica serves the one stored result");
    JsonNode sync = expect(200, send(b, "POST", "/v1/models/patterns/samples", body));
    assertEquals(sync.get("images"), onB.at("/result/images"), "the job computed what the synchronous call does");
  }

  @Test
  @Order(2)
  void aJobRunningOnOneReplicaIsCancelledFromTheOther() throws Exception {
    String body = "{\"n\": 16, \"steps\": 10000, \"corrector\": \"langevin\", \"seed\": 2}";
    String first = submit(a, body);
    String second = submit(a, body);
    Replica runner = runner(first);
    Replica other = runner == a ? b : a;
    assertNotEquals(runner, runner(second), "each replica's one worker takes one of the two");
    await(runner, first, j -> j.at("/progress/step").asInt(0) > 0, "no progress");
    double cancelledBefore = tasks(runner, "cancelled");
    JsonNode c = expect(200, send(other, "DELETE", "/v1/jobs/" + first, null));
    assertEquals("cancelled", status(c));
    for (Replica r : List.of(a, b)) {
      JsonNode j = job(r, first);
      assertEquals("cancelled", status(j), r.name());
      assertTrue(j.get("error").asString().contains("cancelled"), j.toString());
      assertTrue(j.at("/progress/step").asInt() < 10000);
    }
    long until = System.currentTimeMillis() + 20_000;
    while (tasks(runner, "cancelled") <= cancelledBefore) {
      assertTrue(System.currentTimeMillis() < until, "the running replica's worker never stopped the task");
      Thread.sleep(50);
    }
    expect(200, send(runner, "DELETE", "/v1/jobs/" + second, null));
    await(other, second, j -> status(j).equals("cancelled"), "second not cancelled");
  }

  @Test
  @Order(3)
  void aJobOfAKilledReplicaIsTakenAgainAndFinishedOnceBySurvivor() throws Exception {
    // long enough to be caught mid-run, short enough to be run again in full: a few seconds on a loaded machine
    String body = "{\"n\": 4, \"steps\": 3000, \"seed\": 5}";
    waitIdle();
    String id = submit(a, body);
    Replica victim = runner(id);
    Replica survivor = victim == a ? b : a;
    await(survivor, id, j -> j.at("/progress/step").asInt(0) >= 300, "no progress before the kill");
    double successBefore = tasks(survivor, "success");
    victim.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    JsonNode done = await(survivor, id, j -> status(j).equals("succeeded") || status(j).equals("failed"),
        "the survivor never finished the job");
    assertEquals("succeeded", status(done), done.toString());
    assertEquals(4, done.at("/result/images").size());
    assertEquals(3000, done.at("/progress/step").asInt(), "run again from the start to the end");
    assertEquals("2", store.opsForHash().get(PREFIX + "job:" + id, "attempts"), "taken exactly twice");
    assertTrue(store.opsForHash().get(PREFIX + "job:" + id, "worker").toString().startsWith(survivor.name() + "/"));
    assertEquals(successBefore + 1, tasks(survivor, "success"), "finished once, by the survivor");
    JsonNode sync = expect(200, send(survivor, "POST", "/v1/models/patterns/samples", body));
    assertEquals(sync.get("images"), done.at("/result/images"), "the same seed, the same samples after the re-run");
  }

  @Test
  @Order(4)
  void aClientOverItsShareOfTheSharedTableGets429WithTheTimeToItsOldestJobsExpiry() throws Exception {
    Replica live = live();
    long jobs = store.opsForZSet().zCard(PREFIX + "owner:addr:127.0.0.1");
    for (long i = jobs; i < SHARE; i++) {
      submit(live, "{\"n\": 1, \"steps\": 2, \"seed\": 1}");
    }
    HttpResponse<String> refused = send(live, "POST", "/v1/models/patterns/samples?async=true",
        "{\"n\": 1, \"steps\": 2, \"seed\": 1}");
    assertEquals(429, refused.statusCode(), refused.body());
    assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    long retry = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retry > 1700 && retry <= 1800, "until the first job of this test expires (30 min after it ended): " + retry);
  }

  @Test
  @Order(5)
  void anUnreachableRedisIsA503ProblemNotA500() throws Exception {
    Replica live = live();
    redis.close();
    HttpResponse<String> r = send(live, "GET", "/v1/jobs/00000000-0000-0000-0000-000000000000", null);
    assertEquals(503, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    assertTrue(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) > 0);
    assertEquals("urn:score-sde:problem:store-unavailable", JSON.readTree(r.body()).get("type").asString());
  }

  static Replica live() {
    return a.process().isAlive() ? a : b;
  }

  /** Both workers free (the previous test's jobs ended), so the next job goes to whichever polls first. */
  static void waitIdle() throws Exception {
    long until = System.currentTimeMillis() + 20_000;
    while (store.opsForZSet().zCard(PREFIX + "leases") > 0) {
      assertTrue(System.currentTimeMillis() < until, "workers still busy");
      Thread.sleep(50);
    }
  }
}
