package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class JobsApiTest extends ServiceTestBase {
  /** Long enough on any machine (8000 evaluations of 16 rows) that deadlines, disconnects and DELETE catch it running. */
  static final String LONG = "{\"n\": 16, \"steps\": 4000, \"corrector\": \"langevin\", \"seed\": 1}";

  @Autowired MeterRegistry meters;

  JsonNode waitFor(String location, String... states) throws InterruptedException {
    long until = System.currentTimeMillis() + 60_000;
    while (true) {
      JsonNode j = expect(200, get(location));
      for (String s : states) {
        if (s.equals(j.get("status").asString())) {
          return j;
        }
      }
      assertTrue(System.currentTimeMillis() < until, "job stuck in " + j);
      Thread.sleep(50);
    }
  }

  double cancelled() {
    return meters.find("scoresde.inference.tasks").tag("outcome", "cancelled").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  @Test
  void anAsyncRequestIsAJobWithLocationStatusAndResult() throws Exception {
    HttpResponse<String> r = postJson("/v1/models/patterns/samples?async=true", "{\"n\": 2, \"steps\": 20, \"seed\": 8}");
    JsonNode accepted = expect(202, r);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertEquals("/v1/jobs/" + accepted.get("id").asString(), location);
    JsonNode done = waitFor(location, "succeeded");
    assertEquals(2, done.at("/result/images").size());
    assertEquals(20, done.at("/progress/totalSteps").asInt());
    assertEquals(20, done.at("/progress/step").asInt());
    JsonNode sync = expect(200, postJson("/v1/models/patterns/samples", "{\"n\": 2, \"steps\": 20, \"seed\": 8}"));
    assertEquals(sync.get("images"), done.at("/result/images"), "a job computes what the synchronous call does");
  }

  @Test
  void postJobsRunsAnyOperation() throws Exception {
    HttpResponse<String> r = postJson("/v1/jobs", "{\"model\": \"patterns\", \"operation\": \"interpolate\","
        + " \"parameters\": {\"seedA\": 1, \"seedB\": 2, \"frames\": 3, \"rtol\": 1e-3, \"atol\": 1e-3}}");
    expect(202, r);
    JsonNode done = waitFor(r.headers().firstValue("Location").orElseThrow(), "succeeded");
    assertEquals(3, done.at("/result/images").size());
    assertEquals("interpolate", done.get("operation").asString());
  }

  @Test
  void progressIsStreamedAsServerSentEvents() throws Exception {
    // 400 steps: long enough that the events stream is open before the job ends, also on a loaded machine
    HttpResponse<String> r = postJson("/v1/models/patterns/samples?async=true", "{\"n\": 1, \"steps\": 400}");
    String location = r.headers().firstValue("Location").orElseThrow();
    HttpResponse<Stream<String>> events = HTTP.send(HttpRequest.newBuilder(uri(location + "/events"))
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, events.statusCode());
    List<Integer> steps = new ArrayList<>();
    String last = null;
    String event = null;
    for (String line : (Iterable<String>) events.body()::iterator) {
      if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        JsonNode d = JSON.readTree(line.substring(5));
        if ("progress".equals(event)) {
          steps.add(d.get("step").asInt());
          assertEquals(400, d.get("totalSteps").asInt());
          assertEquals(d.get("step").asInt(), d.get("nfe").asInt(), "one evaluation per Euler–Maruyama step");
        } else {
          last = event;
        }
      }
    }
    assertEquals("succeeded", last);
    assertTrue(steps.size() >= 2, "several progress events: " + steps);
    for (int i = 1; i < steps.size(); i++) {
      assertTrue(steps.get(i) > steps.get(i - 1), "steps increase");
    }
  }

  @Test
  void deleteCancelsARunningJob() throws Exception {
    HttpResponse<String> r = postJson("/v1/models/patterns/samples?async=true", LONG);
    String location = r.headers().firstValue("Location").orElseThrow();
    waitFor(location, "running");
    double before = cancelled();
    JsonNode c = expect(200, delete(location));
    assertEquals("cancelled", c.get("status").asString());
    JsonNode j = expect(200, get(location));
    assertEquals("cancelled", j.get("status").asString());
    assertTrue(j.get("error").asString().contains("cancelled"));
    long until = System.currentTimeMillis() + 30_000;
    while (cancelled() <= before && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertTrue(cancelled() > before, "the worker stopped the task");
    assertTrue(j.at("/progress/step").asInt() < 4000);
  }

  @Test
  void aJobCancelledWhileQueuedIsCountedAsCancelled() throws Exception {
    String blocker = occupyWorker();
    try {
      double before = tasks("encode", "cancelled");
      HttpResponse<String> r = postJson("/v1/models/patterns/encode?async=true", "{\"images\": [\""
          + b64(ServiceFixtures.grayPng(4, (x, y) -> 60 * y)) + "\"]}");
      String queued = r.headers().firstValue("Location").orElseThrow();
      assertEquals("queued", expect(202, r).get("status").asString());
      assertEquals("cancelled", expect(200, delete(queued)).get("status").asString());
      assertEquals(before + 1, tasks("encode", "cancelled"), "counted when it left the queue");
      String metrics = get("/actuator/prometheus").body();
      assertTrue(metrics.contains("scoresde_inference_tasks_total{operation=\"encode\",outcome=\"cancelled\"}"),
          metrics.lines().filter(l -> l.startsWith("scoresde_inference_tasks")).toList().toString());
    } finally {
      delete(blocker);
    }
  }

  double tasks(String operation, String outcome) {
    return meters.find("scoresde.inference.tasks").tag("operation", operation).tag("outcome", outcome).counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void aFullQueueAnswers429WithRetryAfter() throws Exception {
    List<String> jobs = new ArrayList<>();
    try {
      HttpResponse<String> first = postJson("/v1/models/patterns/samples?async=true", LONG);
      jobs.add(first.headers().firstValue("Location").orElseThrow());
      waitFor(jobs.get(0), "running");
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> q = postJson("/v1/models/patterns/samples?async=true", LONG);
        expect(202, q);
        jobs.add(q.headers().firstValue("Location").orElseThrow());
      }
      HttpResponse<String> full = postJson("/v1/models/patterns/samples", "{\"n\": 1, \"steps\": 2}");
      expect(429, full);
      long retry = Long.parseLong(full.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(retry >= 1 && retry <= 60, "an estimate of the drain time within [1, 60] s: " + retry);
    } finally {
      jobs.forEach(this::delete);
    }
  }

  @Test
  void aSynchronousRequestPastItsDeadlineIs504AndStops() throws Exception {
    double before = cancelled();
    JsonNode p = expect(504, postJson("/v1/models/patterns/samples?timeoutMs=300", LONG));
    assertTrue(p.get("detail").asString().contains("300 ms"));
    long until = System.currentTimeMillis() + 30_000;
    while (cancelled() <= before && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertTrue(cancelled() > before, "inference stopped when the deadline passed");
  }

  @Test
  void inferenceStopsWhenTheClientDisconnects() throws Exception {
    double before = cancelled();
    try (Socket s = new Socket("localhost", port)) {
      byte[] body = LONG.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/models/patterns/samples HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      Thread.sleep(500);
    }
    long until = System.currentTimeMillis() + 30_000;
    while (cancelled() <= before && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertTrue(cancelled() > before, "the task was cancelled after the client went away");
    assertFalse(false);
  }
}
