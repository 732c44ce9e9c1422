package dev.scoresde.eval.job;

import dev.scoresde.cli.Options;
import dev.scoresde.eval.EvalClassifier;
import dev.scoresde.eval.EvalCnnTraining;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.data.FashionMnist;
import dev.scoresde.data.ImageArrayData;
import dev.scoresde.optim.AdamSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar target/score-sde.jar --spring.profiles.active=eval-cnn [--data=DIR] [--out=DIR] [--steps=N]
 * [--batch=B] [--lr=X] [--seed=S] [--init=DIR]}: trains the evaluation's feature-cnn on Fashion-MNIST (28×28, values in
 * [0, 1]) and writes it as a model folder (default models/fashion-mnist-eval-cnn); {@code --init} continues
 * from a model folder's weights and step.
 */
@Component
@Profile("eval-cnn")
class EvalCnnRunner implements ApplicationRunner {

  @Override
  public void run(ApplicationArguments args) {
    Options o = new Options(args);
    Path data = o.path("data", FashionMnist.DEBIAN_FOLDER);
    Path out = o.path("out", EvalClassifier.SHIPPED);
    long seed = o.number("seed", 0);
    AdamSettings adam = new AdamSettings(o.real("lr", 2e-3), 0.9, 0.999, 1e-8, o.number("warmup", 100),
        o.real("grad-clip", 1.0));
    EvalCnnTraining training = new EvalCnnTraining(EvalClassifier.SPEC, o.integer("batch", 128),
        o.number("steps", 1400), adam, o.real("decay-fraction", 0.25), seed);
    try {
      ImageArrayData train = FashionMnist.load(data, "train", 28, ValueRange.UNIT, seed);
      ImageArrayData test = FashionMnist.load(data, "t10k", 28, ValueRange.UNIT, seed);
      EvalCnnTraining.Result r = training.run(train, test, out, o.path("init", null), System.out);
      System.out.printf("eval-cnn: %d parameters, test accuracy %.4f, final loss %.4f, %.0f s, written to %s%n",
          r.parameters(), r.testAccuracy(), r.finalLoss(), r.seconds(), r.folder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
