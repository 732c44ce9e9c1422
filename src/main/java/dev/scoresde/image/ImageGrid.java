package dev.scoresde.image;

import ai.djl.ndarray.NDArray;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * A rows × cols grid of images as one PNG: values are mapped from the data's range to 8 bits (clamped),
 * the zero padding around the original size is cropped away, and cells are separated by a 2-pixel white
 * gutter. Gray for one channel, RGB for three.
 */
public final class ImageGrid {
  private ImageGrid() {}

  public static final int GUTTER = 2;

  /**
   * @param samples (n, channels, size, size) in {@code range}; n ≤ rows·cols, missing cells stay white
   */
  public static BufferedImage render(NDArray samples, DataShape shape, ValueRange range, int rows, int cols) {
    long[] dims = samples.getShape().getShape();
    if (dims.length != 4 || (dims[1] != 1 && dims[1] != 3) || dims[2] != shape.size() || dims[3] != shape.size()) {
      throw new IllegalArgumentException("expected (n, 1 or 3, " + shape.size() + ", " + shape.size() + "), got "
          + samples.getShape());
    }
    int n = (int) Math.min(dims[0], (long) rows * cols);
    int c = (int) dims[1];
    int size = shape.size();
    int crop = shape.originalSize() > 0 ? shape.originalSize() : size;
    int off = (size - crop) / 2;
    float[] v = samples.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    int width = cols * crop + (cols + 1) * GUTTER;
    int height = rows * crop + (rows + 1) * GUTTER;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, 0xFFFFFF);
      }
    }
    int plane = size * size;
    for (int k = 0; k < n; k++) {
      int x0 = GUTTER + (k % cols) * (crop + GUTTER);
      int y0 = GUTTER + (k / cols) * (crop + GUTTER);
      int base = k * c * plane;
      for (int r = 0; r < crop; r++) {
        for (int q = 0; q < crop; q++) {
          int at = base + (r + off) * size + q + off;
          int red = range.toPixel(v[at]);
          int green = c == 3 ? range.toPixel(v[at + plane]) : red;
          int blue = c == 3 ? range.toPixel(v[at + 2 * plane]) : red;
          img.setRGB(x0 + q, y0 + r, (red << 16) | (green << 8) | blue);
        }
      }
    }
    return img;
  }

  /** Nearest-neighbour enlargement (pixels stay sharp squares). */
  static BufferedImage enlarge(BufferedImage img, int scale) {
    if (scale == 1) {
      return img;
    }
    BufferedImage out = new BufferedImage(img.getWidth() * scale, img.getHeight() * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < out.getHeight(); y++) {
      for (int x = 0; x < out.getWidth(); x++) {
        out.setRGB(x, y, img.getRGB(x / scale, y / scale));
      }
    }
    return out;
  }

  /** Renders and writes the PNG atomically (temporary file, then rename). */
  public static void write(NDArray samples, DataShape shape, ValueRange range, int rows, int cols, Path png)
      throws IOException {
    write(samples, shape, range, rows, cols, 1, png);
  }

  /** Like {@link #write(NDArray, DataShape, ValueRange, int, int, Path)}, each pixel drawn as scale × scale. */
  public static void write(NDArray samples, DataShape shape, ValueRange range, int rows, int cols, int scale, Path png)
      throws IOException {
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be ≥ 1, got " + scale);
    }
    BufferedImage img = enlarge(render(samples, shape, range, rows, cols), scale);
    Path parent = png.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".grid-", ".png");
    try {
      if (!ImageIO.write(img, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
