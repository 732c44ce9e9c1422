package dev.scoresde.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes generated samples: images as one 8-bit PNG each ({@code sample-0001234.png}, gray or RGB, the zero
 * padding around the original size cropped away), vectors as rows of {@code samples.csv}.
 */
final class SampleFiles {
  static final String CSV = "samples.csv";

  private SampleFiles() {}

  static String pngName(int index) {
    return String.format("sample-%07d.png", index);
  }

  /**
   * @param samples (n, channels, size, size) in {@code range}
   * @return the file names, sample {@code first + i} in entry i
   */
  static List<String> writePngs(NDArray samples, DataShape shape, ValueRange range, int first, Path dir)
      throws IOException {
    long[] dims = samples.getShape().getShape();
    int n = (int) dims[0];
    int c = (int) dims[1];
    if (c != 1 && c != 3) {
      throw new IllegalArgumentException("PNG output needs 1 or 3 channels, got " + c);
    }
    int size = shape.size();
    int crop = shape.originalSize() > 0 ? shape.originalSize() : size;
    int off = (size - crop) / 2;
    int plane = size * size;
    float[] v = samples.toType(DataType.FLOAT32, false).toFloatArray();
    List<String> names = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      BufferedImage img = new BufferedImage(crop, crop, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
      int base = k * c * plane;
      for (int r = 0; r < crop; r++) {
        for (int q = 0; q < crop; q++) {
          int at = base + (r + off) * size + q + off;
          int red = range.toPixel(v[at]);
          if (c == 1) {
            img.getRaster().setSample(q, r, 0, red);
          } else {
            img.setRGB(q, r, (red << 16) | (range.toPixel(v[at + plane]) << 8) | range.toPixel(v[at + 2 * plane]));
          }
        }
      }
      String name = pngName(first + k);
      if (!ImageIO.write(img, "png", dir.resolve(name).toFile())) {
        throw new IOException("no PNG writer available");
      }
      names.add(name);
    }
    return names;
  }

  /** Appends rows "index,x1,...,xd" of (n, d) vector samples to {@code samples.csv}. */
  static void appendCsv(NDArray samples, int first, Path dir) throws IOException {
    long[] dims = samples.getShape().getShape();
    int n = (int) dims[0];
    int d = (int) (samples.getShape().size() / n);
    float[] v = samples.toType(DataType.FLOAT32, false).toFloatArray();
    Path csv = dir.resolve(CSV);
    try (Writer w = Files.newBufferedWriter(csv, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND)) {
      for (int k = 0; k < n; k++) {
        StringBuilder b = new StringBuilder().append(first + k);
        for (int j = 0; j < d; j++) {
          b.append(',').append(String.format(Locale.ROOT, "%.7g", v[k * d + j]));
        }
        w.write(b.append('\n').toString());
      }
    }
  }
}
