package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Concurrent compatible requests share one batch and get exactly what they get alone. */
class BatchingApiTest extends ServiceTestBase {

  @Test
  void mergedRequestsEqualUnbatchedOnes() throws Exception {
    String blocker = occupyWorker();
    int[] ns = {1, 2, 1, 2};
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < ns.length; i++) {
      String body = "{\"n\": " + ns[i] + ", \"steps\": 30, \"seed\": " + (100 + i) + ", \"corrector\": \"langevin\"}";
      calls.add(CompletableFuture.supplyAsync(() -> postJson("/v1/models/patterns/samples", body)));
      Thread.sleep(30);
    }
    releaseWhenQueued(blocker, ns.length);
    List<JsonNode> merged = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      merged.add(expect(200, c.get()));
    }
    for (int i = 0; i < ns.length; i++) {
      assertEquals(6, merged.get(i).at("/metadata/batchRows").asInt(), "all four requests ran as one batch of 6 rows");
      String body = "{\"n\": " + ns[i] + ", \"steps\": 30, \"seed\": " + (100 + i) + ", \"corrector\": \"langevin\"}";
      JsonNode alone = expect(200, postJson("/v1/models/patterns/samples", body));
      assertEquals(ns[i], alone.at("/metadata/batchRows").asInt());
      assertEquals(alone.get("images"), merged.get(i).get("images"), "request " + i);
    }
  }
}
