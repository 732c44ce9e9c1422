package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.JsonNode;

/**
 * The playground page in a real browser (Debian's headless Chromium through chromedriver; skipped where
 * they are not installed) against the service on a random port with the analytic models "patterns"
 * (gray 4 × 4, 4 classes) and "colors" (RGB 4 × 4). Every test leaves a screenshot under
 * target/playground-screenshots/.
 */
class PlaygroundBrowserTest extends ServiceTestBase {
  static final Path SHOTS = Path.of("target/playground-screenshots");
  static final Duration JOB = Duration.ofSeconds(30);

  static ChromeDriver driver;
  PlaygroundPage page;
  String name;

  @BeforeAll
  static void browser() {
    String missing = HeadlessChromium.missing();
    Assumptions.assumeTrue(missing == null, () -> "browser tests skipped: " + missing);
    driver = HeadlessChromium.start(1400, 1000);
  }

  @AfterAll
  static void quit() {
    if (driver != null) {
      driver.quit();
    }
  }

  @BeforeEach
  void open(TestInfo info) {
    name = info.getTestMethod().orElseThrow().getName();
    page = new PlaygroundPage(driver, uri("/")).open("patterns");
  }

  void screenshot(String state) {
    HeadlessChromium.screenshot(driver, SHOTS.resolve(name + "-" + state + ".png"));
  }

  static Path png(String file, byte[] bytes) throws Exception {
    Path p = Files.createTempFile(file, ".png");
    p.toFile().deleteOnExit();
    return Files.write(p, bytes);
  }

  @Test
  void aSampleJobShowsLiveProgressThenAGridOfTheRequestedSize() {
    page.select("sample-class", "checker");
    page.type("sample-steps", 300);
    page.type("sample-n", 6);
    page.type("sample-seed", 3);
    page.recordProgress("sample");
    page.run("sample");
    page.until(JOB, d -> !page.all("#sample-grid .pending").isEmpty());
    screenshot("running");
    List<WebElement> images = page.images("sample-grid", 6, JOB);
    screenshot("done");
    assertTrue(page.seenValues().stream().anyMatch(v -> v.doubleValue() > 0 && v.doubleValue() < 1),
        "the bar took an intermediate value: " + page.seenValues());
    assertTrue(page.seenTexts().stream().anyMatch(t -> t.matches("Step \\d+ of 300 · NFE \\d+ · t = 0\\.\\d{3}")),
        "step, NFE and t shown while running: " + page.seenTexts().stream().limit(5).toList());
    assertEquals(1.0, Double.parseDouble(page.byId("sample-job-progress").getDomProperty("value")));
    assertTrue(page.text("sample-job-text").startsWith("Done"), page.text("sample-job-text"));
    assertTrue(page.text("sample-meta").contains("NFE 300") && page.text("sample-meta").contains("seed 3"),
        page.text("sample-meta"));
    for (WebElement img : images) {
      assertEquals(4 * 4 * 4, page.pixels(img).length, "4 × 4 RGBA: the model's size");
    }
  }

  @Test
  void anInpaintingOfAMaskDrawnWithTheMouseKeepsTheKnownPixels() throws Exception {
    int[][] input = new int[4][4];
    Path file = png("inpaint-input", ServiceFixtures.grayPng(4, (x, y) -> input[y][x] = 30 + 60 * x + 7 * y));
    page.tab("inpaint");
    page.upload("inpaint-file", file);
    page.until(JOB, d -> page.text("inpaint-mask-count").equals("0 of 16 pixels to fill in."));
    page.byId("inpaint-brush").sendKeys(Keys.HOME); // radius 0: one pixel per stamp (keyboard on the slider)
    // a stroke along the top row, then down one pixel at the right edge
    page.drawMask(4, new int[] {0, 0}, new int[] {1, 0}, new int[] {2, 0}, new int[] {3, 0}, new int[] {3, 1});
    assertEquals("5 of 16 pixels to fill in.", page.text("inpaint-mask-count"));
    Set<Integer> painted = new HashSet<>();
    int[] canvas = page.pixels(page.byId("inpaint-canvas"));
    for (int i = 0; i < 16; i++) {
      if (canvas[4 * i] != canvas[4 * i + 2]) { // tinted red
        painted.add(i);
      }
    }
    assertEquals(Set.of(0, 1, 2, 3, 7), painted, "the mouse painted the pixels it crossed");
    page.type("inpaint-n", 3);
    page.type("inpaint-steps", 20);
    page.type("inpaint-seed", 5);
    page.run("inpaint");
    List<WebElement> shown = page.images("inpaint-grid", 4, JOB);
    assertEquals("input and mask", page.all("#inpaint-grid figcaption").get(0).getText());
    List<WebElement> completions = shown.subList(1, 4);
    screenshot("done");
    boolean changed = false;
    for (WebElement img : completions) {
      int[] out = page.pixels(img);
      for (int i = 0; i < 16; i++) {
        int want = input[i / 4][i % 4];
        if (painted.contains(i)) {
          changed |= out[4 * i] != want;
        } else {
          assertEquals(want, out[4 * i], "known pixel " + i + " is returned exactly");
        }
      }
    }
    assertTrue(changed, "the masked pixels were filled in by the model");
  }

  @Test
  void aBadParameterShowsTheProblemInWords() {
    page.type("sample-steps", 1);
    page.run("sample");
    page.until(JOB, d -> !page.text("sample-job-problem").isEmpty());
    screenshot("problem");
    String problem = page.text("sample-job-problem");
    assertTrue(problem.contains("Invalid parameter: steps must be between 2 and 4000, got 1"), problem);
    assertTrue(problem.contains("(parameter: steps)") && problem.contains("HTTP 400"), problem);
    assertEquals("true", page.byId("sample-steps").getDomAttribute("aria-invalid"));
    assertEquals(page.byId("sample-steps"), driver.switchTo().activeElement(), "the bad field has the focus");
    assertTrue(page.all("#sample-grid .cell").isEmpty());
    assertTrue(page.all("#sample-form .run").get(0).isEnabled(), "the form can be sent again");
  }

  @Test
  void cancelStopsARunningJob() {
    page.type("sample-steps", 4000);
    page.type("sample-n", 1);
    page.run("sample");
    page.until(JOB, d -> page.text("sample-job-text").startsWith("Step "));
    screenshot("running");
    page.byId("sample-job-cancel").click();
    page.until(JOB, d -> page.text("sample-job-text").startsWith("Cancelled"));
    screenshot("cancelled");
    assertTrue(page.text("sample-job-text").matches("Cancelled at step \\d+ of 4000\\."), page.text("sample-job-text"));
    String id = page.byId("sample-job").getDomAttribute("data-job-id");
    JsonNode job = expect(200, get("/v1/jobs/" + id));
    assertEquals("cancelled", job.get("status").asString());
    assertTrue(job.at("/progress/step").asInt() < 4000, job.toString());
    assertTrue(page.all("#sample-grid .cell").isEmpty(), "no images from a cancelled job");
    assertEquals("true", page.byId("sample-job-cancel").getDomProperty("disabled"));
  }

  @Test
  void colorizeShowsTheOriginalTheGrayInputAndColourVersions() throws Exception {
    page.open("colors");
    page.tab("colorize");
    page.upload("colorize-file", png("photo", ServiceFixtures.rgbPng(4, (x, y) -> (170 - 15 * x) << 16
        | (100 + 15 * y) << 8 | 120)));
    page.type("colorize-n", 2);
    page.type("colorize-steps", 20);
    page.type("colorize-seed", 2);
    page.run("colorize");
    List<WebElement> cells = page.images("colorize-grid", 4, JOB);
    screenshot("done");
    List<String> names = cells.stream().map(e -> e.getDomAttribute("alt")).toList();
    assertEquals(List.of("original", "gray input", "colorized 1", "colorized 2"), names);
    int[] gray = page.pixels(cells.get(1));
    int checked = 0;
    for (WebElement img : cells.subList(2, 4)) {
      int[] out = page.pixels(img);
      boolean coloured = false;
      for (int i = 0; i < 16; i++) {
        int r = out[4 * i];
        int g = out[4 * i + 1];
        int b = out[4 * i + 2];
        coloured |= Math.abs(r - g) > 20 || Math.abs(g - b) > 20;
        // the model's saturated colours may leave [0, 255]: a clipped channel moves the mean, so skip those
        if (Math.min(r, Math.min(g, b)) > 0 && Math.max(r, Math.max(g, b)) < 255) {
          int at = i;
          assertEquals(gray[4 * i], (r + g + b) / 3.0, 1.0, () -> "the gray channel of pixel " + at + " is the input's: "
              + r + ", " + g + ", " + b);
          checked++;
        }
      }
      assertTrue(coloured, "colour comes from the model");
    }
    assertTrue(checked >= 8, "most pixels are not clipped: " + checked + " of 32");
  }

  @Test
  void interpolationShowsFramesAsAStripAndASlider() {
    page.tab("interpolate");
    page.type("interpolate-seed-a", 1);
    page.type("interpolate-seed-b", 2);
    page.type("interpolate-frames", 5);
    page.type("interpolate-tol", "0.001");
    page.run("interpolate");
    page.images("interpolate-strip", 5, JOB);
    WebElement slider = page.byId("interpolate-slider");
    assertEquals("4", slider.getDomAttribute("max"));
    slider.sendKeys(Keys.END);
    assertEquals("5 of 5 (λ = 1.00)", page.text("interpolate-slider-value"));
    String last = page.all("#interpolate-strip img").get(4).getDomAttribute("src");
    assertEquals(last, page.byId("interpolate-frame").getDomAttribute("src"), "the slider shows the chosen frame");
    screenshot("seeds");

    // two images: the first and last frames, picked, encoded and interpolated again
    page.all("#interpolate-form input[name=ends][value=images]").get(0).click();
    assertTrue(page.byId("interpolate-a").isDisplayed() && !page.byId("interpolate-seed-a").isDisplayed());
    page.all("#interpolate-strip .pick").get(0).click();
    page.all(".use-picked[data-target=interpolate-a]").get(0).click();
    page.all("#interpolate-strip .pick").get(4).click();
    page.all(".use-picked[data-target=interpolate-b]").get(0).click();
    page.type("interpolate-frames", 3);
    page.run("interpolate");
    page.images("interpolate-strip", 3, JOB);
    screenshot("images");
  }

  @Test
  void theTabsFollowTheKeyboardAndOfferOnlyTheModelsOperations() {
    assertTrue(page.byId("tab-colorize").getDomProperty("disabled").equals("true"), "patterns is gray: no colorize");
    page.byId("tab-sample").sendKeys(Keys.ARROW_RIGHT);
    assertEquals(page.byId("tab-inpaint"), driver.switchTo().activeElement());
    assertEquals("true", page.byId("tab-inpaint").getDomAttribute("aria-selected"));
    assertTrue(page.byId("panel-inpaint").isDisplayed() && !page.byId("panel-sample").isDisplayed());
    page.byId("tab-inpaint").sendKeys(Keys.ARROW_RIGHT);
    assertEquals("true", page.byId("tab-interpolate").getDomAttribute("aria-selected"), "the disabled tab is skipped");
    page.byId("tab-interpolate").sendKeys(Keys.END);
    assertEquals("true", page.byId("tab-likelihood").getDomAttribute("aria-selected"));
    for (WebElement input : page.all("input:not([type=radio]):not([type=hidden]), select")) {
      String id = input.getDomAttribute("id");
      assertFalse(id == null || page.all("label[for='" + id + "']").isEmpty(), () -> "a label for " + input
          .getDomAttribute("name") + " (" + id + ")");
    }
  }

  @Test
  void everyResourceOfThePageComesFromTheServerItself() {
    @SuppressWarnings("unchecked")
    List<String> urls = (List<String>) page.js(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href]);");
    assertTrue(urls.size() >= 6, "page, css, modules, models: " + urls);
    for (String url : urls) {
      assertTrue(url.startsWith(uri("/").toString()), "fetched from outside: " + url);
    }
  }

  @Test
  void theLikelihoodOfAGeneratedImageIsShownInBitsPerDim() {
    page.type("sample-steps", 20);
    page.type("sample-n", 1);
    page.run("sample");
    page.images("sample-grid", 1, JOB);
    page.all("#sample-grid .pick").get(0).click();
    page.until(JOB, d -> !page.all("#picked img").isEmpty());
    page.tab("likelihood");
    page.all(".use-picked[data-target=likelihood]").get(0).click();
    page.select("likelihood-estimator", "exact");
    page.type("likelihood-tol", "0.001");
    page.run("likelihood");
    page.until(JOB, d -> !page.text("likelihood-result").isEmpty() || !page.text("likelihood-job-problem").isEmpty());
    screenshot("done");
    assertTrue(page.text("likelihood-result").matches("\\d+\\.\\d{3} bits/dim"), page.text("likelihood-result")
        + page.text("likelihood-job-problem"));
    assertTrue(page.text("likelihood-meta").startsWith("exact divergence · NFE "), page.text("likelihood-meta"));
  }

  /** A server that answers 401 (simulated in the page's fetch: API keys are a later issue) gets the key asked for. */
  @Test
  void a401AsksForAKeyAndSendsItAsBearerToken() {
    page.js("""
        const real = window.fetch;
        window.__auth = [];
        window.fetch = (url, init = {}) => {
          const auth = new Headers(init.headers || {}).get('Authorization');
          window.__auth.push(auth);
          if (String(url).startsWith('/v1/') && auth !== 'Bearer sesame') {
            return Promise.resolve(new Response(JSON.stringify({type: 'urn:score-sde:problem:unauthorized',
                title: 'Unauthorized', status: 401, detail: 'a valid API key is required'}),
                {status: 401, headers: {'Content-Type': 'application/problem+json'}}));
          }
          return real(url, init);
        };""");
    page.type("sample-steps", 10);
    page.type("sample-n", 2);
    page.run("sample");
    page.until(JOB, d -> page.byId("key-panel").isDisplayed());
    assertTrue(page.text("key-reason").contains("a valid API key is required"), page.text("key-reason"));
    assertEquals(page.byId("key-input"), driver.switchTo().activeElement(), "the key field has the focus");
    screenshot("key");
    page.byId("key-input").sendKeys("sesame", Keys.ENTER);
    page.images("sample-grid", 2, JOB);
    assertEquals("sesame", page.js("return sessionStorage.getItem('score-sde.apiKey')"));
    assertTrue(((List<?>) page.js("return window.__auth")).contains("Bearer sesame"));
    page.js("sessionStorage.clear()");
  }
}
