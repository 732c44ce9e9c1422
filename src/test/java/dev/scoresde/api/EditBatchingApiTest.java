package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.serve.ServeProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.DistributionSummary;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Concurrent inpainting and colorization requests share one batch when their model, kind and sampler settings
 * agree, and each gets byte for byte what it gets alone with batching off: seeds, masks, images and n differ
 * between the merged requests.
 */
class EditBatchingApiTest extends ServiceTestBase {
  static final String SETTINGS = "\"steps\": 30, \"sampler\": \"euler-maruyama\"";
  /** Three 4 × 4 masks (white = known): the left half, the top half, the diagonal. */
  static final List<IntBinaryOperator> MASKS = List.of((x, y) -> x < 2 ? 255 : 0, (x, y) -> y < 2 ? 255 : 0,
      (x, y) -> x == y ? 255 : 0);

  /** Steps of a batch long enough to be cancelled while it runs. */
  static final int LONG_STEPS = 1500;

  @Autowired MeterRegistry meters;

  record Call(String path, String body) {}

  /** Image k: distinct gray values per request and pixel, so a known pixel names the request it came from. */
  static byte[] image(int k) {
    return ServiceFixtures.grayPng(4, (x, y) -> 20 + 60 * k + 9 * x + 3 * y);
  }

  /** Image k in colour (for the 3-channel "colors" model). */
  static byte[] rgbImage(int k) {
    return ServiceFixtures.rgbPng(4, (x, y) -> (40 * k + 50 * x) << 16 | (30 + 40 * y) << 8 | 200 - 30 * k);
  }

  static Call inpaint(String model, int k, int n, long seed) {
    byte[] img = model.equals("colors") ? rgbImage(k) : image(k);
    return new Call("/v1/models/" + model + "/inpaint", "{\"image\": \"" + b64(img) + "\", \"mask\": \""
        + b64(ServiceFixtures.grayPng(4, MASKS.get(k))) + "\", \"n\": " + n + ", \"seed\": " + seed + ", " + SETTINGS
        + "}");
  }

  static Call colorize(int k, int n, long seed) {
    return new Call("/v1/models/colors/colorize", "{\"image\": \"" + b64(image(k)) + "\", \"n\": " + n
        + ", \"seed\": " + seed + ", " + SETTINGS + "}");
  }

  /**
   * Starts a long sampling job and waits until it has made a step (its batch is recorded in the metrics by
   * then), so that the next requests queue up together.
   */
  JsonNode waitFor(String location, String state) throws InterruptedException {
    long until = System.currentTimeMillis() + 60_000;
    while (true) {
      JsonNode j = expect(200, get(location));
      if (state.equals(j.get("status").asString())) {
        return j;
      }
      assertTrue(System.currentTimeMillis() < until, "job stuck in " + j);
      Thread.sleep(20);
    }
  }

  /** The calls sent together behind a busy worker (30 ms apart, in order): their answers. */
  List<JsonNode> merged(List<Call> calls) throws Exception {
    String blocker = occupyWorker();
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (Call c : calls) {
      pending.add(CompletableFuture.supplyAsync(() -> postJson(c.path(), c.body())));
      Thread.sleep(30);
    }
    releaseWhenQueued(blocker, calls.size());
    List<JsonNode> out = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> p : pending) {
      out.add(expect(200, p.get()));
    }
    return out;
  }

  /** The calls one by one with batching off: their answers. */
  List<JsonNode> alone(List<Call> calls) {
    ServeProperties.Batching on = inference.batching();
    inference.setBatching(new ServeProperties.Batching(false, on.maxBatch(), on.maxDelay()));
    try {
      return calls.stream().map(c -> expect(200, postJson(c.path(), c.body()))).toList();
    } finally {
      inference.setBatching(on);
    }
  }

  static void assertSameAsAlone(List<Call> calls, List<JsonNode> merged, List<JsonNode> alone, int batchRows) {
    for (int i = 0; i < calls.size(); i++) {
      int n = alone.get(i).get("images").size();
      assertEquals(batchRows, merged.get(i).at("/metadata/batchRows").asInt(), "request " + i + " ran merged");
      assertEquals(n, alone.get(i).at("/metadata/batchRows").asInt(), "request " + i + " ran alone");
      assertEquals(alone.get(i).at("/metadata/seed"), merged.get(i).at("/metadata/seed"));
      assertEquals(alone.get(i).get("images"), merged.get(i).get("images"), "request " + i + ": the same PNG bytes");
    }
  }

  @Test
  void mergedInpaintsEqualInpaintsRunAloneWithBatchingOff() throws Exception {
    List<Call> calls = List.of(inpaint("patterns", 0, 1, 31), inpaint("patterns", 1, 2, 32),
        inpaint("patterns", 2, 3, 33));
    List<JsonNode> merged = merged(calls);
    assertSameAsAlone(calls, merged, alone(calls), 6);
    assertNotEquals(merged.get(0).at("/images/0"), merged.get(1).at("/images/0"));
  }

  /** Each merged request's known pixels are its own image's under its own mask: swapped rows would fail. */
  @Test
  void mergedInpaintsKeepTheirOwnKnownPixels() throws Exception {
    List<JsonNode> merged = merged(List.of(inpaint("patterns", 0, 2, 41), inpaint("patterns", 1, 1, 42),
        inpaint("patterns", 2, 1, 43)));
    for (int k = 0; k < 3; k++) {
      assertEquals(4, merged.get(k).at("/metadata/batchRows").asInt());
      BufferedImage input = ServiceFixtures.read(image(k));
      for (JsonNode png : merged.get(k).get("images")) {
        BufferedImage out = ServiceFixtures.read(unb64(png.asString()));
        int filled = 0;
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            int want = input.getRaster().getSample(x, y, 0);
            int got = out.getRaster().getSample(x, y, 0);
            if (MASKS.get(k).applyAsInt(x, y) == 255) {
              assertEquals(want, got, "request " + k + ": known pixel (" + x + ", " + y + ")");
            } else {
              filled += want != got ? 1 : 0;
            }
          }
        }
        assertTrue(filled >= 4, "request " + k + ": the unknown pixels are filled in by the model, " + filled);
      }
    }
  }

  @Test
  void mergedColorizationsEqualColorizationsRunAloneWithBatchingOff() throws Exception {
    List<Call> calls = List.of(colorize(0, 2, 51), colorize(1, 1, 52), colorize(2, 1, 53));
    assertSameAsAlone(calls, merged(calls), alone(calls), 4);
  }

  @Test
  void inpaintAndColorizeNeverShareABatch() throws Exception {
    String blocker = occupyWorker();
    DistributionSummary tasks = meters.get("scoresde.inference.batch.tasks").summary();
    long batches = tasks.count();
    double merged = tasks.totalAmount();
    List<Call> calls = List.of(inpaint("colors", 0, 1, 61), colorize(1, 2, 62), inpaint("colors", 2, 2, 63));
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (Call c : calls) {
      pending.add(CompletableFuture.supplyAsync(() -> postJson(c.path(), c.body())));
      Thread.sleep(30);
    }
    releaseWhenQueued(blocker, calls.size());
    List<JsonNode> out = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> p : pending) {
      out.add(expect(200, p.get()));
    }
    assertEquals(3, out.get(0).at("/metadata/batchRows").asInt(), "the two inpaintings merged");
    assertEquals(3, out.get(2).at("/metadata/batchRows").asInt());
    assertEquals(2, out.get(1).at("/metadata/batchRows").asInt(), "the colorization ran on its own");
    assertEquals(batches + 2, tasks.count(), "two batches");
    assertEquals(merged + 3, tasks.totalAmount(), "of three requests");
  }

  double tasks(String outcome) {
    return meters.find("scoresde.inference.tasks").tag("operation", "inpaint").tag("outcome", outcome).counters()
        .stream().mapToDouble(c -> c.count()).sum();
  }

  /** Cancelling one request of a running merged batch stops only that one; the others finish unchanged. */
  @Test
  void aCancelledRequestLeavesItsBatchCompanionsIntact() throws Exception {
    String steps = "\"steps\": " + LONG_STEPS;
    List<Call> calls = List.of(inpaint("patterns", 0, 1, 71), inpaint("patterns", 1, 2, 72),
        inpaint("patterns", 2, 1, 73)).stream()
        .map(c -> new Call(c.path(), c.body().replace("\"steps\": 30", steps))).toList();
    double cancelledBefore = tasks("cancelled");
    double succeededBefore = tasks("success");
    String blocker = occupyWorker();
    List<String> jobs = new ArrayList<>();
    for (Call c : calls) {
      jobs.add(postJson(c.path() + "?async=true", c.body()).headers().firstValue("Location").orElseThrow());
    }
    releaseWhenQueued(blocker, calls.size());
    for (String job : jobs) {
      waitFor(job, "running");
    }
    assertEquals("cancelled", expect(200, delete(jobs.get(1))).get("status").asString());
    JsonNode first = waitFor(jobs.get(0), "succeeded");
    JsonNode third = waitFor(jobs.get(2), "succeeded");
    JsonNode cancelled = expect(200, get(jobs.get(1)));
    assertEquals("cancelled", cancelled.get("status").asString());
    assertTrue(cancelled.at("/progress/step").asInt() < LONG_STEPS, "cancelled mid-run");
    assertEquals(4, first.at("/result/metadata/batchRows").asInt(), "the three requests ran as one batch");
    long until = System.currentTimeMillis() + 10_000;
    while (tasks("success") < succeededBefore + 2 && System.currentTimeMillis() < until) {
      Thread.sleep(20);
    }
    assertEquals(cancelledBefore + 1, tasks("cancelled"), "one inpainting counted as cancelled");
    assertEquals(succeededBefore + 2, tasks("success"), "two counted as succeeded");
    List<JsonNode> alone = alone(List.of(calls.get(0), calls.get(2)));
    assertEquals(alone.get(0).get("images"), first.at("/result/images"));
    assertEquals(alone.get(1).get("images"), third.at("/result/images"));
  }
}
