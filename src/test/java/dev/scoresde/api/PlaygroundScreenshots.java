package dev.scoresde.api;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The docs' pictures of the playground (docs/playground-*.png), taken from a running server with the shipped
 * models (the default profile): a Fashion-MNIST sample grid, an inpainting of one of those samples with a
 * mask drawn by mouse, and a colorization of a crop of the wallpaper the photo model never saw. Fast solver
 * settings (dpm-solver++2m, 20 steps) keep each run to seconds on two CPU cores.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -Dai.djl.offline=true -jar target/score-sde.jar &amp;   # or ./mvnw spring-boot:run
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.scoresde.api.PlaygroundScreenshots \
 *   http://localhost:8080 docs
 * </pre>
 */
public final class PlaygroundScreenshots {
  static final Duration RUN = Duration.ofMinutes(10);
  static final String FASHION = "fashion-mnist-ddpmpp-vp";
  static final String PHOTOS = "photos-ddpmpp-vp";
  /** The photo job's held-out wallpaper (jobs/photos-ddpmpp-vp.yml). */
  static final Path HELD_OUT = Path.of("/usr/share/wallpapers/EveningGlow/contents/images/1920x1080.jpg");

  private PlaygroundScreenshots() {}

  public static void main(String[] args) throws Exception {
    java.net.URI base = java.net.URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
    Path out = Path.of(args.length > 1 ? args[1] : "docs");
    String missing = HeadlessChromium.missing();
    if (missing != null) {
      throw new IllegalStateException(missing);
    }
    ChromeDriver driver = HeadlessChromium.start(1280, 900);
    try {
      PlaygroundPage page = new PlaygroundPage(driver, base).open(FASHION);
      sample(page, out.resolve("playground-sample.png"));
      inpaint(page, out.resolve("playground-inpaint.png"));
      colorize(page.open(PHOTOS), out.resolve("playground-colorize.png"));
    } finally {
      driver.quit();
    }
  }

  static void fastSolver(PlaygroundPage page, String panel, int n, int seed) {
    page.select(panel + "-sampler", "dpm-solver++2m");
    page.type(panel + "-steps", 20);
    page.type(panel + "-n", n);
    page.type(panel + "-seed", seed);
  }

  static void sample(PlaygroundPage page, Path file) {
    fastSolver(page, "sample", 16, 7);
    page.run("sample");
    page.images("sample-grid", 16, RUN);
    shot(page, file);
  }

  /** Picks the sixth sample, paints a band across its middle with the mouse, and fills it in four times. */
  static void inpaint(PlaygroundPage page, Path file) {
    page.all("#sample-grid .pick").get(5).click();
    page.tab("inpaint");
    page.all(".use-picked[data-target=inpaint]").get(0).click();
    page.byId("inpaint-brush").sendKeys(Keys.HOME, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
    int[][] stroke = new int[21][];
    for (int i = 0; i < stroke.length; i++) {
      stroke[i] = new int[] {4 + i, 13 + (i % 6 < 3 ? 0 : 1)};
    }
    page.drawMask(28, stroke);
    fastSolver(page, "inpaint", 4, 3);
    page.run("inpaint");
    page.images("inpaint-grid", 5, RUN);
    shot(page, file);
  }

  static void colorize(PlaygroundPage page, Path file) throws Exception {
    page.tab("colorize");
    page.upload("colorize-file", crop(HELD_OUT, 96, 44, 24, 32));
    fastSolver(page, "colorize", 4, 5);
    page.run("colorize");
    page.images("colorize-grid", 6, RUN);
    shot(page, file);
  }

  /** A side × side crop at (x, y) of the image resized to a short side of {@code shortSide}, as in training. */
  static Path crop(Path photo, int shortSide, int x, int y, int side) throws Exception {
    BufferedImage img = ImageIO.read(photo.toFile());
    double s = shortSide / (double) Math.min(img.getWidth(), img.getHeight());
    int w = (int) Math.round(img.getWidth() * s);
    int h = (int) Math.round(img.getHeight() * s);
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    File f = Files.createTempFile("crop", ".png").toFile();
    f.deleteOnExit();
    ImageIO.write(small.getSubimage(x, y, side, side), "png", f);
    return f.toPath();
  }

  static void shot(PlaygroundPage page, Path file) {
    HeadlessChromium.screenshot(page.driver, file, page.byId("main"));
    System.out.println("wrote " + file);
  }
}
