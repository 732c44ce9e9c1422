package dev.scoresde.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import dev.scoresde.image.ImageGrid;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Images in and out of the model's space: uploads (PNG, JPEG, BMP, GIF) of the model's original size are
 * checked and placed in the centre of the zero-padded (pixel 0) {@code size} × {@code size} frame; outputs
 * are cropped back and written as PNG (gray for one channel, RGB for three).
 */
public final class ImageCodec {
  private ImageCodec() {}

  /** A decoded upload: its 8-bit values per channel, (channels, h, w) with h = w = the model's size. */
  public record Pixels(int channels, int size, float[] values) {}

  /**
   * Decodes an upload that must be {@code side} × {@code side}. The size is read from the header first (PNG's IHDR,
   * JPEG's frame header…), so an image declaring another size is refused before a pixel is decoded: a 74-byte PNG
   * declaring 46000 × 46000 would otherwise make the decoder allocate a 2 GB raster.
   */
  static BufferedImage read(byte[] bytes, String field, int side, String expected) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRequestException(field, field + " is empty");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw notAnImage(field);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w != side || h != side) {
          throw new InvalidRequestException(field, field + " is " + w + "×" + h + ", " + expected);
        }
        BufferedImage img = reader.read(0);
        if (img == null) {
          throw notAnImage(field);
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidRequestException i) {
        throw i;
      }
      throw notAnImage(field);
    }
  }

  private static InvalidRequestException notAnImage(String field) {
    return new InvalidRequestException(field, field + " is not a readable image (PNG, JPEG, BMP or GIF)");
  }

  /** The side an upload must have: the original (unpadded) size. */
  static int expectedSide(DataShape shape) {
    return shape.originalSize() > 0 ? shape.originalSize() : shape.size();
  }

  /**
   * An upload's 8-bit pixels in the model's frame.
   *
   * @param channels the channels wanted: 1 or 3; {@code convert} turns colour into gray (mean of R, G, B) and
   *     gray into colour (repeated); without it a channel mismatch is the client's mistake
   */
  public static Pixels pixels(byte[] bytes, DataShape shape, String field, int channels, boolean convert) {
    int side = expectedSide(shape);
    BufferedImage img = read(bytes, field, side, "the model takes " + side + "×" + side + " images");
    int have = img.getColorModel().getNumColorComponents() >= 3 ? 3 : 1;
    if (have != channels && !convert) {
      throw new InvalidRequestException(field, field + " has " + have + " channel" + (have == 1 ? "" : "s")
          + " (" + (have == 1 ? "gray" : "colour") + "), the model takes " + channels);
    }
    int size = shape.size();
    int pad = (size - side) / 2;
    float[] v = new float[channels * size * size];
    int plane = size * size;
    // Gray images are read from the raster: getRGB would map their linear gray colour space through sRGB.
    boolean rawGray = have == 1 && img.getColorModel() instanceof java.awt.image.ComponentColorModel;
    int bits = img.getColorModel().getComponentSize(0);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int r;
        int g;
        int b;
        if (rawGray) {
          r = img.getRaster().getSample(x, y, 0) >> Math.max(0, bits - 8);
          g = r;
          b = r;
        } else {
          int rgb = img.getRGB(x, y);
          r = (rgb >> 16) & 0xFF;
          g = (rgb >> 8) & 0xFF;
          b = rgb & 0xFF;
        }
        int at = (y + pad) * size + x + pad;
        if (channels == 1) {
          v[at] = have == 1 ? r : Math.round((r + g + b) / 3f);
        } else {
          v[at] = r;
          v[at + plane] = g;
          v[at + 2 * plane] = b;
        }
      }
    }
    return new Pixels(channels, size, v);
  }

  /** An upload in the model's value range, (channels, size, size) flattened. */
  public static float[] decode(byte[] bytes, DataShape shape, ValueRange range, String field) {
    Pixels p = pixels(bytes, shape, field, shape.channels(), false);
    return toRange(p.values(), range);
  }

  /** 8-bit values → the model's range. */
  public static float[] toRange(float[] pixels, ValueRange range) {
    float[] out = new float[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = range.fromPixel(Math.round(pixels[i]));
    }
    return out;
  }

  /**
   * A mask upload: 1 where the pixel is known (brighter than mid-gray), 0 where it is to be filled in;
   * the padding is known. (1, size, size) flattened.
   */
  public static float[] mask(byte[] bytes, DataShape shape, String field) {
    int side = expectedSide(shape);
    Pixels p = pixels(bytes, shape, field, 1, true);
    float[] m = new float[p.values().length];
    int size = shape.size();
    int pad = (size - side) / 2;
    for (int i = 0; i < m.length; i++) {
      int y = i / size;
      int x = i % size;
      boolean inside = y >= pad && y < pad + side && x >= pad && x < pad + side;
      m[i] = !inside || p.values()[i] >= 128 ? 1f : 0f;
    }
    return m;
  }

  /** One image (channels, size, size) in the model's range as a PNG of the original size. */
  public static byte[] png(float[] values, DataShape shape, ValueRange range) {
    return grid(List.of(values), shape, range, 1, 1);
  }

  /** Images as one PNG grid of ⌈√n⌉ columns (2-pixel white gutters), via {@link ImageGrid}. */
  public static byte[] grid(List<float[]> images, DataShape shape, ValueRange range) {
    int n = Math.max(1, images.size());
    int cols = (int) Math.ceil(Math.sqrt(n));
    int rows = (int) Math.ceil(n / (double) cols);
    return grid(images, shape, range, rows, cols);
  }

  private static byte[] grid(List<float[]> images, DataShape shape, ValueRange range, int rows, int cols) {
    if (!shape.isImage()) {
      throw new ServeException(ServeException.Kind.UNSUPPORTED, "this model's data are vectors, not images");
    }
    int per = shape.dimension();
    float[] all = new float[images.size() * per];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, all, i * per, per);
    }
    BufferedImage img;
    if (rows * cols == 1) {
      img = single(images.get(0), shape, range);
    } else {
      try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
        NDArray x = m.create(all, new Shape(images.size(), shape.channels(), shape.size(), shape.size()));
        img = ImageGrid.render(x, shape, range, rows, cols);
      }
    }
    return write(img);
  }

  /** A single image without gutters. */
  private static BufferedImage single(float[] v, DataShape shape, ValueRange range) {
    int size = shape.size();
    int side = expectedSide(shape);
    int off = (size - side) / 2;
    int c = shape.channels();
    int plane = size * size;
    BufferedImage img = new BufferedImage(side, side, c == 1 ? BufferedImage.TYPE_BYTE_GRAY
        : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int at = (y + off) * size + x + off;
        int r = range.toPixel(v[at]);
        int g = c == 3 ? range.toPixel(v[at + plane]) : r;
        int b = c == 3 ? range.toPixel(v[at + 2 * plane]) : r;
        if (c == 1) {
          img.getRaster().setSample(x, y, 0, r);
        } else {
          img.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
    }
    return img;
  }

  private static byte[] write(BufferedImage img) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer");
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
