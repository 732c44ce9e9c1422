package dev.scoresde.data;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Tiny IDX files and image folders written by the tests themselves. */
public final class DataFixtures {
  private DataFixtures() {}

  /** Writes an unsigned-byte IDX file, gzip-compressed if the name ends in ".gz". */
  public static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream o = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
      DataOutputStream d = new DataOutputStream(o);
      d.writeInt(0x0800 | dims.length);
      for (int x : dims) {
        d.writeInt(x);
      }
      d.write(data);
      d.flush();
    }
  }

  /**
   * A Fashion-MNIST-like folder of n images of size×size where pixel (r, c) of image i is (i·50 + r·size + c) mod 256,
   * labels i mod 10.
   */
  public static Path fashionLike(Path folder, String split, int n, int size) throws IOException {
    Files.createDirectories(folder);
    byte[] img = new byte[n * size * size];
    byte[] lab = new byte[n];
    for (int i = 0; i < n; i++) {
      lab[i] = (byte) (i % 10);
      for (int p = 0; p < size * size; p++) {
        img[i * size * size + p] = (byte) ((i * 50 + p) % 256);
      }
    }
    writeIdx(folder.resolve(split + "-images-idx3-ubyte.gz"), new int[] {n, size, size}, img);
    writeIdx(folder.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {n}, lab);
    return folder;
  }

  /** A PNG whose pixel (x, y) has red = x, green = y, blue = seed. */
  public static void writeGradientPng(Path file, int width, int height, int seed) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, (x << 16) | (y << 8) | seed);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }
}
