package dev.scoresde.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.ScoreSdeApplication;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.testnet.TestNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.WebApplicationContext;

/** The {@code generate} profile end to end: properties → model folder → shard folder, no web server. */
class GenerateProfileIntegrationTest {
  @TempDir Path dir;

  @Test
  void theShardDefaultsToTheIndexedJobsCompletionIndex() throws Exception {
    Path model = ShardGeneratorTest.tinyModel(dir);
    Path out = dir.resolve("out");
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ScoreSdeApplication.class)
        .profiles("generate")
        .initializers(c -> c.getBeanFactory().registerSingleton("testNetworks", (NetworkFactory) TestNetworks.FACTORY))
        .properties(
            "JOB_COMPLETION_INDEX=2", // what Kubernetes sets in pod 2 of an Indexed Job
            "score-sde.generate.model=" + model,
            "score-sde.generate.output=" + out,
            "score-sde.generate.count=10",
            "score-sde.generate.shards=3",
            "score-sde.generate.batch-size=3",
            "score-sde.generate.sampler=euler-maruyama",
            "score-sde.generate.steps=3")
        .run()) {
      assertFalse(ctx instanceof WebApplicationContext, "no web server in the generate profile");
    }
    Path shard = out.resolve("shard-00002-of-00003");
    assertTrue(Files.isRegularFile(shard.resolve(ShardGenerator.MANIFEST)));
    try (Stream<Path> s = Files.list(shard)) {
      assertEquals(5, s.count(), "samples 6..9 and the manifest");
    }
    ShardManifest m = ShardGenerator.JSON.readValue(shard.resolve(ShardGenerator.MANIFEST).toFile(),
        ShardManifest.class);
    assertEquals(3, m.run().sampler().steps());
    assertEquals(6, m.first());
  }
}
