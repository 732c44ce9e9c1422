package dev.scoresde.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
  @TempDir Path dir;

  @Test
  void gridCropsPaddingMapsTheRangeAndLaysOutRowsAndColumns() throws Exception {
    // 3 gray 6×6 images whose centre 4×4 is real; value of image k at (r, c) = −1 + (k + r·0.1 + c·0.01)
    float[] v = new float[3 * 36];
    for (int k = 0; k < 3; k++) {
      for (int r = 0; r < 6; r++) {
        for (int c = 0; c < 6; c++) {
          v[k * 36 + r * 6 + c] = -1f + k * 0.5f + r * 0.1f + c * 0.01f;
        }
      }
    }
    Path png = dir.resolve("grid/step-10.png");
    try (NDManager m = NDManager.newBaseManager()) {
      ImageGrid.write(m.create(v, new Shape(3, 1, 6, 6)), DataShape.image(1, 6, 4), ValueRange.SYMMETRIC, 2, 2, png);
    }
    BufferedImage img = ImageIO.read(png.toFile());
    int g = ImageGrid.GUTTER;
    assertEquals(2 * 4 + 3 * g, img.getWidth());
    assertEquals(2 * 4 + 3 * g, img.getHeight());
    for (int k = 0; k < 3; k++) {
      int x0 = g + (k % 2) * (4 + g);
      int y0 = g + (k / 2) * (4 + g);
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          int want = ValueRange.SYMMETRIC.toPixel(v[k * 36 + (r + 1) * 6 + c + 1]);
          int rgb = img.getRGB(x0 + c, y0 + r) & 0xFFFFFF;
          assertEquals((want << 16) | (want << 8) | want, rgb, "image " + k + " at " + r + "," + c);
        }
      }
    }
    assertEquals(0xFFFFFF, img.getRGB(g + 4 + g + 1, g + 4 + g + 1) & 0xFFFFFF, "the missing fourth cell is white");
    assertEquals(0xFFFFFF, img.getRGB(0, 0) & 0xFFFFFF, "gutter");
  }

  @Test
  void enlargedGridRepeatsEachPixelAsASquare() throws Exception {
    float[] v = new float[2 * 3 * 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 7) / 7f;
    }
    Path small = dir.resolve("small.png");
    Path big = dir.resolve("big.png");
    try (NDManager m = NDManager.newBaseManager()) {
      var x = m.create(v, new Shape(2, 3, 2, 2));
      ImageGrid.write(x, DataShape.image(3, 2, 2), ValueRange.UNIT, 1, 2, small);
      ImageGrid.write(x, DataShape.image(3, 2, 2), ValueRange.UNIT, 1, 2, 3, big);
    }
    BufferedImage a = ImageIO.read(small.toFile());
    BufferedImage b = ImageIO.read(big.toFile());
    assertEquals(3 * a.getWidth(), b.getWidth());
    assertEquals(3 * a.getHeight(), b.getHeight());
    for (int y = 0; y < b.getHeight(); y++) {
      for (int x = 0; x < b.getWidth(); x++) {
        assertEquals(a.getRGB(x / 3, y / 3), b.getRGB(x, y), "at " + x + "," + y);
      }
    }
  }
}
