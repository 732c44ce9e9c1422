package dev.scoresde.checkpoint.job;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.cli.Options;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.tensor.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar target/score-sde.jar --spring.profiles.active=score --model=DIR --x=x.npy --t=t.npy
 * --out=DIR}: the network's raw output ({@code net_out.npy}, what the reference's {@code model(x, labels)}
 * returns for an imported model), the labels it saw ({@code labels.npy}) and the score s(x, t)
 * ({@code score.npy}, the reference's {@code get_score_fn}), as float32 .npy files — to compare an import
 * with the reference, array for array. x is (batch, C, H, W) in the model's value range, t (batch) in (0, 1].
 */
@Component
@Profile("score")
class ScoreRunner implements ApplicationRunner {
  private final NetworkFactory factory;

  ScoreRunner(NetworkFactory factory) {
    this.factory = factory;
  }

  @Override
  public void run(ApplicationArguments args) {
    Options o = new Options(args);
    for (String required : new String[] {"model", "x", "t", "out"}) {
      if (!o.has(required)) {
        throw new IllegalArgumentException("--model=DIR, --x=x.npy, --t=t.npy and --out=DIR are required");
      }
    }
    try {
      write(o.path("model", null), o.path("x", null), o.path("t", null), o.path("out", null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(Path model, Path xFile, Path tFile, Path out) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      LoadedModel loaded = new CheckpointStore(factory).load(model, manager);
      NetworkScoreModel scoreModel = loaded.scoreModel();
      NDArray x = Npy.read(xFile, manager).toType(DataType.FLOAT32, false);
      NDArray t = Npy.read(tFile, manager).toType(DataType.FLOAT32, false).reshape(-1);
      if (!x.getShape().slice(1).equals(loaded.card().data().batchShape(1).slice(1))) {
        throw new IllegalArgumentException(xFile + " has shape " + x.getShape() + "; the model takes (batch, "
            + loaded.card().data().batchShape(1).slice(1) + ")");
      }
      if (t.getShape().get(0) != x.getShape().get(0)) {
        throw new IllegalArgumentException(tFile + " has " + t.getShape().get(0) + " times for " + x.getShape().get(0)
            + " inputs");
      }
      Files.createDirectories(out);
      Npy.writeFloat32(scoreModel.conditioning(x, t), out.resolve("labels.npy"));
      Npy.writeFloat32(scoreModel.rawOutput(x, t), out.resolve("net_out.npy"));
      Npy.writeFloat32(scoreModel.score(x, t), out.resolve("score.npy"));
    }
  }
}
