package dev.scoresde.api;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven by Debian's chromedriver, headless. Both paths are given explicitly, so Selenium
 * Manager never runs (it would try to download a browser or driver).
 */
final class HeadlessChromium {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Selenium looks for a DevTools binding of the browser's exact version, warns when it has none, and falls
   * back to the nearest; screenshots use only the version-free executeCdpCommand. Kept so it is not collected.
   */
  private static final Logger DEVTOOLS = Logger.getLogger("org.openqa.selenium.devtools");

  static {
    DEVTOOLS.setLevel(Level.SEVERE);
  }

  private HeadlessChromium() {}

  /** Why no browser can be started here, or null when both binaries are installed. */
  static String missing() {
    if (!Files.isExecutable(CHROMIUM)) {
      return "no " + CHROMIUM + " (apt-get install chromium)";
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      return "no " + CHROMEDRIVER + " (apt-get install chromium-driver)";
    }
    return null;
  }

  /** A browser with a fresh profile and a laptop-sized window (CSS pixels = device pixels). */
  static ChromeDriver start(int width, int height) {
    Path profile;
    try {
      profile = Files.createTempDirectory("chromium-profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    profile.toFile().deleteOnExit();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // root in a container needs --no-sandbox; the rest keeps it from calling home or syncing
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--force-device-scale-factor=1", "--hide-scrollbars",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30)).build();
    return new ChromeDriver(service, options);
  }

  /** The whole page, beyond the window's height (Chrome DevTools' Page.captureScreenshot with a clip). */
  @SuppressWarnings("unchecked")
  static void screenshot(ChromeDriver driver, Path file) {
    Map<String, Object> size = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
        .get("cssContentSize");
    screenshot(driver, file, Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"),
        "scale", 1));
  }

  /** One element of the page, wherever it is scrolled. */
  static void screenshot(ChromeDriver driver, Path file, WebElement element) {
    Rectangle r = element.getRect(); // CSS pixels from the top left of the document
    screenshot(driver, file, Map.of("x", r.getX(), "y", r.getY(), "width", r.getWidth(), "height", r.getHeight(),
        "scale", 1));
  }

  private static void screenshot(ChromeDriver driver, Path file, Map<String, Object> clip) {
    String png = (String) driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true, "clip", clip)).get("data");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, Base64.getDecoder().decode(png));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
