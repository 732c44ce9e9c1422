package dev.scoresde.data;

import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.DataShape;
import dev.scoresde.tensor.ValueRange;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * RGB crops of a folder of photographs (PNG/JPEG, read by ImageIO): each image is resized once so its
 * short side is {@code resize} pixels (area averaging), and every example is a random {@code size}×{@code size}
 * crop of an image, flipped horizontally with probability ½. Images are visited in epoch order; crop
 * and flip of the example at global position p are drawn from (seed, p).
 */
public final class ImageFolderData extends ImageData {
  private final List<RgbImage> images;
  private final long seed;

  /** A decoded image, (3, height, width) unsigned bytes. */
  record RgbImage(byte[] chw, int height, int width) {}

  private ImageFolderData(List<RgbImage> images, int size, ValueRange range, String description, long seed) {
    super(images.size(), DataShape.image(3, size, size), range, List.of(), description, seed);
    this.images = images;
    this.seed = seed;
  }

  /**
   * @param glob a folder, or a glob pattern of image files (e.g. {@code /usr/share/wallpapers/*}{@code /contents/images/*})
   * @param size crop size (the network's image size)
   * @param resize short side after resizing, at least {@code size}; 0 keeps the original size
   */
  public static ImageFolderData load(String glob, int size, int resize, ValueRange range, long seed)
      throws IOException {
    List<Path> files = ImageFiles.find(glob);
    if (files.isEmpty()) {
      throw new IOException("no PNG or JPEG images found at " + glob);
    }
    if (resize != 0 && resize < size) {
      throw new IllegalArgumentException("resize (" + resize + ") must be 0 or at least the crop size " + size);
    }
    List<RgbImage> images = new ArrayList<>();
    for (Path f : files) {
      BufferedImage img = ImageIO.read(f.toFile());
      if (img == null) {
        throw new IOException("ImageIO cannot decode " + f);
      }
      RgbImage rgb = toRgb(resize == 0 ? img : resizeShortSide(img, resize));
      if (rgb.height() < size || rgb.width() < size) {
        throw new IOException(f + " is smaller than the crop size " + size);
      }
      images.add(rgb);
    }
    String description = "image folder " + glob + " (" + images.size() + " images, short side " + resize
        + ", random " + size + "x" + size + " crops, horizontal flips)";
    return new ImageFolderData(List.copyOf(images), size, range, description, seed);
  }

  static BufferedImage resizeShortSide(BufferedImage img, int shortSide) {
    double scale = (double) shortSide / Math.min(img.getWidth(), img.getHeight());
    int w = Math.max(shortSide, (int) Math.round(img.getWidth() * scale));
    int h = Math.max(shortSide, (int) Math.round(img.getHeight() * scale));
    Image scaled = img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(scaled, 0, 0, null);
    g.dispose();
    return out;
  }

  static RgbImage toRgb(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] chw = new byte[3 * h * w];
    int plane = h * w;
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      chw[i] = (byte) (p >>> 16);
      chw[plane + i] = (byte) (p >>> 8);
      chw[2 * plane + i] = (byte) p;
    }
    return new RgbImage(chw, h, w);
  }

  @Override
  public Batch batch(long step, int batchSize, NDManager manager) {
    int[] idx = order.batch(step, batchSize);
    int size = shape().size();
    int per = 3 * size * size;
    float[] x = new float[batchSize * per];
    for (int j = 0; j < batchSize; j++) {
      RgbImage img = images.get(idx[j]);
      SplittableRandom r = new SplittableRandom(Seeds.derive(seed, step * batchSize + j, Seeds.AUGMENT));
      int top = r.nextInt(img.height() - size + 1);
      int left = r.nextInt(img.width() - size + 1);
      boolean flip = r.nextBoolean();
      int plane = img.height() * img.width();
      for (int ch = 0; ch < 3; ch++) {
        for (int row = 0; row < size; row++) {
          int src = ch * plane + (top + row) * img.width() + left;
          int dst = j * per + (ch * size + row) * size;
          for (int col = 0; col < size; col++) {
            int sc = flip ? size - 1 - col : col;
            x[dst + col] = lut[img.chw()[src + sc] & 0xFF];
          }
        }
      }
    }
    return new Batch(manager.create(x, shape().batchShape(batchSize)), null);
  }

  /** Image files of a folder or a glob, in sorted order (the epoch order must not depend on the file system). */
  static final class ImageFiles {
    private ImageFiles() {}

    static List<Path> find(String glob) throws IOException {
      Path direct = Path.of(glob);
      List<Path> out = new ArrayList<>();
      if (Files.isDirectory(direct)) {
        try (Stream<Path> s = Files.list(direct)) {
          s.filter(ImageFiles::isImage).forEach(out::add);
        }
      } else {
        Path root = rootOf(glob);
        if (!Files.isDirectory(root)) {
          throw new IOException("image folder not found: " + glob);
        }
        var matcher = root.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.walk(root, 8)) {
          s.filter(p -> matcher.matches(p) && isImage(p)).forEach(out::add);
        }
      }
      out.sort(null);
      return out;
    }

    private static Path rootOf(String glob) {
      int star = glob.length();
      for (char c : new char[] {'*', '?', '[', '{'}) {
        int i = glob.indexOf(c);
        if (i >= 0) {
          star = Math.min(star, i);
        }
      }
      String prefix = glob.substring(0, star);
      int slash = prefix.lastIndexOf('/');
      return slash < 0 ? Path.of("") : Path.of(slash == 0 ? "/" : prefix.substring(0, slash));
    }

    private static boolean isImage(Path p) {
      String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
      return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }
  }
}
