package dev.scoresde.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShardPlanTest {

  @Test
  void shardsTileAllSamplesInOrderOnBatchBoundaries() {
    for (int count = 1; count <= 40; count++) {
      for (int batch = 1; batch <= 7; batch++) {
        for (int shards = 1; shards <= 9; shards++) {
          int next = 0;
          int batches = 0;
          for (int i = 0; i < shards; i++) {
            ShardPlan p = new ShardPlan(count, batch, shards, i);
            assertEquals(next, p.first(), p.toString());
            assertTrue(p.end() >= p.first(), p.toString());
            assertTrue(p.first() % batch == 0, "starts on a batch boundary: " + p);
            batches += p.endBatch() - p.firstBatch();
            next = p.end();
          }
          assertEquals(count, next, "the last shard ends at count");
          assertEquals((count + batch - 1) / batch, batches, "every batch in exactly one shard");
        }
      }
    }
  }

  @Test
  void shardSizesDifferByAtMostOneBatch() {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < 7; i++) {
      ShardPlan p = new ShardPlan(50_000, 250, 7, i);
      min = Math.min(min, p.endBatch() - p.firstBatch());
      max = Math.max(max, p.endBatch() - p.firstBatch());
    }
    assertTrue(max - min <= 1, min + " .. " + max);
  }

  @Test
  void rejectsAShardOutsideTheRun() {
    assertThrows(IllegalArgumentException.class, () -> new ShardPlan(10, 2, 3, 3));
    assertThrows(IllegalArgumentException.class, () -> new ShardPlan(10, 2, 3, -1));
    assertThrows(IllegalArgumentException.class, () -> new ShardPlan(0, 2, 3, 0));
  }
}
