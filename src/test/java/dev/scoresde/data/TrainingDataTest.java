package dev.scoresde.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.tensor.ValueRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {
  @TempDir Path dir;

  @Test
  void fashionMnistIsZeroPaddedScaledAndLabelled() throws IOException {
    DataFixtures.fashionLike(dir, "train", 5, 4);
    ImageArrayData data = FashionMnist.load(dir, "train", 8, ValueRange.SYMMETRIC, 1);
    assertEquals(5, data.count());
    assertEquals(new Shape(5, 1, 8, 8), data.shape().batchShape(5));
    assertEquals(4, data.shape().originalSize());
    assertEquals("Ankle boot", data.classNames().get(9));
    try (NDManager m = NDManager.newBaseManager()) {
      Batch b = data.batch(0, 5, m);
      float[] x = b.x().toFloatArray();
      int[] labels = b.labels().toIntArray();
      int[] sorted = labels.clone();
      Arrays.sort(sorted);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted, "one epoch visits every image once");
      for (int j = 0; j < 5; j++) {
        int i = labels[j]; // image i has label i here
        for (int r = 0; r < 8; r++) {
          for (int c = 0; c < 8; c++) {
            boolean inside = r >= 2 && r < 6 && c >= 2 && c < 6;
            float want = inside ? ValueRange.SYMMETRIC.fromPixel((i * 50 + (r - 2) * 4 + (c - 2)) % 256) : -1f;
            assertEquals(want, x[j * 64 + r * 8 + c], 0f);
          }
        }
      }
    }
  }

  @Test
  void missingFashionMnistNamesTheFileAndThePackage() {
    IOException e = assertThrows(IOException.class,
        () -> FashionMnist.load(dir.resolve("nope"), "train", 32, ValueRange.SYMMETRIC, 1));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("dataset-fashion-mnist"),
        e.getMessage());
  }

  @Test
  void epochOrderIsAPermutationPerEpochAndAPureFunctionOfSeedAndStep() {
    EpochOrder a = new EpochOrder(10, 42);
    int[] seen = new int[30];
    for (int step = 0; step < 10; step++) {
      System.arraycopy(a.batch(step, 3), 0, seen, 3 * step, 3);
    }
    for (int epoch = 0; epoch < 3; epoch++) {
      int[] e = Arrays.copyOfRange(seen, 10 * epoch, 10 * epoch + 10);
      Arrays.sort(e);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, e);
    }
    EpochOrder fresh = new EpochOrder(10, 42);
    assertArrayEquals(Arrays.copyOfRange(seen, 21, 24), fresh.batch(7, 3), "step 7 alone equals step 7 in sequence");
    assertFalse(Arrays.equals(Arrays.copyOfRange(seen, 0, 10), Arrays.copyOfRange(seen, 10, 20)), "epochs differ");
    assertFalse(Arrays.equals(new EpochOrder(10, 43).batch(0, 10), Arrays.copyOfRange(seen, 0, 10)), "seeds differ");
  }

  @Test
  void imageFolderCropsAreWindowsOfTheImagesFlippedHorizontallyAtRandom() throws IOException {
    DataFixtures.writeGradientPng(dir.resolve("a/contents/images/one.png"), 12, 9, 7);
    DataFixtures.writeGradientPng(dir.resolve("b/contents/images/two.png"), 10, 11, 9);
    DataFixtures.writeGradientPng(dir.resolve("b/other/three.png"), 10, 11, 200);
    ValueRange bytes = new ValueRange(0, 255);
    ImageFolderData data = ImageFolderData.load(dir + "/*/contents/images/*", 4, 0, bytes, 3);
    assertEquals(2, data.count(), "the glob selects two of the three images");
    int flipped = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      float[] x = data.batch(5, 64, m).x().toFloatArray();
      for (int j = 0; j < 64; j++) {
        int base = j * 48;
        float blue = x[base + 32];
        assertTrue(blue == 7f || blue == 9f);
        float top = x[base + 16];
        float left = x[base];
        boolean flip = x[base + 1] < left;
        flipped += flip ? 1 : 0;
        for (int r = 0; r < 4; r++) {
          for (int c = 0; c < 4; c++) {
            assertEquals(flip ? left - c : left + c, x[base + r * 4 + c], 0f, "red = image column");
            assertEquals(top + r, x[base + 16 + r * 4 + c], 0f, "green = image row");
            assertEquals(blue, x[base + 32 + r * 4 + c], 0f);
          }
        }
      }
      assertTrue(flipped > 10 && flipped < 54, "about half are flipped: " + flipped);
      float[] again = data.batch(5, 64, m).x().toFloatArray();
      assertArrayEquals(x, again, "a batch is a pure function of (seed, step)");
      assertNotEquals(Arrays.hashCode(x), Arrays.hashCode(data.batch(6, 64, m).x().toFloatArray()));
    }
  }

  @Test
  void resizingKeepsTheAspectRatioWithTheShortSideGiven() {
    BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    BufferedImage small = ImageFolderData.resizeShortSide(img, 8);
    assertEquals(16, small.getWidth());
    assertEquals(8, small.getHeight());
  }

  @Test
  void gaussianMixtureMatchesItsWeightsMeansAndStds() {
    GaussianMixtureData g = new GaussianMixtureData(new double[] {1, 3}, new double[][] {{-2, 0}, {1, 1}},
        new double[] {0.5, 0.1}, 4);
    int n = 20000;
    try (NDManager m = NDManager.newBaseManager()) {
      Batch b = g.batch(3, n, m);
      float[] x = b.x().toFloatArray();
      int[] l = b.labels().toIntArray();
      double[] count = new double[2];
      double[] sum = new double[2];
      double[] sq = new double[2];
      for (int i = 0; i < n; i++) {
        count[l[i]]++;
        sum[l[i]] += x[2 * i];
        sq[l[i]] += x[2 * i] * x[2 * i];
      }
      assertEquals(0.25, count[0] / n, 0.01);
      assertEquals(-2, sum[0] / count[0], 0.02);
      assertEquals(1, sum[1] / count[1], 0.01);
      assertEquals(0.5, Math.sqrt(sq[0] / count[0] - Math.pow(sum[0] / count[0], 2)), 0.02);
      assertArrayEquals(x, g.batch(3, n, m).x().toFloatArray());
    }
  }
}
