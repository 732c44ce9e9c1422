package dev.scoresde.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.ScoreSdeApplication;
import dev.scoresde.checkpoint.CheckpointLayout;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.testnet.TestNetworks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.context.WebApplicationContext;

/** The {@code train} profile end to end: job properties → validation → Trainer → checkpoint, without a web server. */
@ExtendWith(OutputCaptureExtension.class)
class TrainProfileIntegrationTest {
  @TempDir Path dir;

  SpringApplicationBuilder app(String... properties) {
    return new SpringApplicationBuilder(ScoreSdeApplication.class)
        .profiles("train")
        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testNetworks", (NetworkFactory)
            TestNetworks.FACTORY))
        .properties(properties);
  }

  @Test
  void trainsAMixtureModelWithoutAWebServer() throws Exception {
    Path folder = dir.resolve("mixture");
    try (ConfigurableApplicationContext ctx = app(
        "score-sde.train.data.kind=gaussian-mixture",
        "score-sde.train.data.components=4",
        "score-sde.train.sde.kind=subvp",
        "score-sde.train.network.architecture=mlp",
        "score-sde.train.network.nf=16",
        "score-sde.train.class-conditional=true",
        "score-sde.train.loss.label-dropout=0.2",
        "score-sde.train.batch-size=16",
        "score-sde.train.steps=6",
        "score-sde.train.log-interval=3",
        "score-sde.train.checkpoint.folder=" + folder).run()) {
      assertFalse(ctx instanceof WebApplicationContext, "no web server in the train profile");
    }
    Path last = CheckpointLayout.latest(folder).orElseThrow();
    assertEquals(6, CheckpointStore.readState(last).step());
    assertEquals(4, CheckpointStore.readCard(last).network().numClasses(), "one class per mixture component");
  }

  @Test
  void aBadConfigurationFailsWithExitCodeTwoAndAReadableReport(CapturedOutput output) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> app(
        "score-sde.train.data.kind=gaussian-mixture",
        "score-sde.train.sde.kind=warp",
        "score-sde.train.steps=5",
        "score-sde.train.checkpoint.folder=" + dir.resolve("bad")).run().close());
    TrainingJobException cause = find(e);
    assertEquals(2, cause.getExitCode());
    assertTrue(cause.getMessage().contains("unknown SDE 'warp'"), cause.getMessage());
    assertTrue(output.getAll().contains("APPLICATION FAILED TO START") && output.getAll().contains("unknown SDE"),
        "the failure analyzer reports the message");
  }

  static TrainingJobException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TrainingJobException j) {
        return j;
      }
    }
    throw new AssertionError("no TrainingJobException in", t);
  }
}
