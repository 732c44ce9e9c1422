package dev.scoresde.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.tensor.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The score models shipped under models/ load with the server's code and give a finite, non-trivial score. */
class ShippedModelsTest {
  @Test
  void everyShippedScoreModelLoadsAndGivesAFiniteScoreOfTheRightShape() throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.list(Path.of("models"))) {
      folders = s.filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(folders.contains(Path.of("models/fashion-mnist-ddpmpp-vp")), "the default VP model is shipped: " + folders);
    int checked = 0;
    for (Path folder : folders) {
      ModelCard card = CheckpointStore.readCard(CheckpointLayout.resolveModel(folder));
      if (card.isClassifier() || !card.network().architecture().id().matches("ddpmpp|ncsnpp|mlp")) {
        continue;
      }
      try (NDManager m = NDManager.newBaseManager()) {
        LoadedModel model = new CheckpointStore(NetworkFactory.NETWORKS).load(folder, m);
        NetworkSpec spec = card.network();
        Shape shape = new Shape(2, spec.channels(), spec.imageSize(), spec.imageSize());
        NDArray x = Rng.of(1, 2).normal(m, shape);
        NDArray t = m.create(new float[] {0.1f, 0.9f});
        NetworkScoreModel score = model.scoreModel();
        if (spec.numClasses() > 0) {
          score = score.withLabels(m.create(new int[] {3, spec.numClasses()})); // a class and "no label"
        }
        NDArray s = score.score(x, t);
        assertEquals(shape, s.getShape(), folder.toString());
        float[] v = s.toFloatArray();
        double sumSquares = 0;
        for (float f : v) {
          assertTrue(Float.isFinite(f), folder + " gives a non-finite score");
          sumSquares += f * f;
        }
        // The output layer starts at zero; a trained model's score is not.
        assertTrue(sumSquares > 0, folder + " gives an all-zero score (untrained?)");
        checked++;
      }
    }
    assertTrue(checked >= 1, "no score model checked in " + folders);
  }

  /**
   * The shipped time-dependent classifier names the class of real test images that its SDE has barely perturbed
   * (t = 0.05) far above chance, and is at chance where nothing of the image is left (t = 1).
   */
  @Test
  void theShippedClassifierNamesSlightlyPerturbedTestImages() throws IOException {
    Path folder = Path.of("models/fashion-mnist-classifier-ve");
    try (NDManager m = NDManager.newBaseManager()) {
      LoadedModel model = new CheckpointStore(NetworkFactory.NETWORKS).load(folder, m);
      ModelCard card = model.card();
      assertTrue(card.isClassifier());
      dev.scoresde.data.ImageArrayData test = dev.scoresde.data.FashionMnist.load(
          dev.scoresde.data.FashionMnist.DEBIAN_FOLDER, "t10k", card.data().size(), card.valueRange(), 0);
      List<dev.scoresde.eval.NoisyClassifierEvaluation.Row> rows = dev.scoresde.eval.NoisyClassifierEvaluation.run(
          model.classifier(), card.sde().toSde(), test, 300, 100, new double[] {0.05, 1.0}, 0, m);
      assertTrue(rows.get(0).accuracy() > 0.85, rows.get(0).toString());
      assertEquals(Math.log(10), rows.get(1).crossEntropy(), 0.1, rows.get(1).toString());
    }
  }
}
