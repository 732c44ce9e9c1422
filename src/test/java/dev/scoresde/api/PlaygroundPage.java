package dev.scoresde.api;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The playground (static/index.html) as a browser test and the docs' screenshots drive it. */
final class PlaygroundPage {
  final ChromeDriver driver;
  private final URI base;

  PlaygroundPage(ChromeDriver driver, URI base) {
    this.driver = driver;
    this.base = base;
  }

  /** Opens the page on a model and waits until its forms are built. */
  PlaygroundPage open(String model) {
    driver.get(base.resolve("/?model=" + model).toString());
    until(Duration.ofSeconds(30), d -> model.equals(byId("model").getDomProperty("value"))
        && text("model-status").contains("is ready"));
    return this;
  }

  WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  String text(String id) {
    return byId(id).getText();
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  void tab(String name) {
    byId("tab-" + name).click();
  }

  /** Types into a field (replacing its value) as a user would. */
  void type(String id, Object value) {
    WebElement e = byId(id);
    e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    e.sendKeys(String.valueOf(value));
  }

  void select(String id, String value) {
    new org.openqa.selenium.support.ui.Select(byId(id)).selectByValue(value);
  }

  void upload(String inputId, Path file) {
    byId(inputId).sendKeys(file.toAbsolutePath().toString());
  }

  void run(String panel) {
    driver.findElement(By.cssSelector("#" + panel + "-form button.run")).click();
  }

  /** Records every value the progress bar and text of a panel's job take, from now on (window.__seen). */
  void recordProgress(String panel) {
    js("""
        const bar = document.getElementById(arguments[0] + '-job-progress');
        const text = document.getElementById(arguments[0] + '-job-text');
        window.__seen = {values: [], texts: []};
        new MutationObserver(() => window.__seen.values.push(bar.value))
            .observe(bar, {attributes: true, attributeFilter: ['value']});
        new MutationObserver(() => window.__seen.texts.push(text.textContent))
            .observe(text, {childList: true, characterData: true, subtree: true});""", panel);
  }

  @SuppressWarnings("unchecked")
  List<Number> seenValues() {
    return (List<Number>) js("return window.__seen.values;");
  }

  @SuppressWarnings("unchecked")
  List<String> seenTexts() {
    return (List<String>) js("return window.__seen.texts;");
  }

  /** Waits until n images are shown in a result grid. */
  List<WebElement> images(String gridId, int n, Duration timeout) {
    until(timeout, d -> all("#" + gridId + " img").size() == n
        || !text(gridId.replaceFirst("-(grid|strip)$", "") + "-job-problem").isEmpty());
    List<WebElement> images = all("#" + gridId + " img");
    if (images.size() != n) {
      throw new AssertionError("expected " + n + " images in " + gridId + ", the page says: "
          + text(gridId.replaceFirst("-(grid|strip)$", "") + "-job-problem"));
    }
    return images;
  }

  /** The RGBA pixels of an element drawn on a canvas: an img (of its natural size) or a canvas. */
  @SuppressWarnings("unchecked")
  int[] pixels(WebElement imageOrCanvas) {
    List<Number> v = (List<Number>) js("""
        const e = arguments[0];
        let c = e;
        if (e.tagName === 'IMG') {
          c = document.createElement('canvas');
          c.width = e.naturalWidth;
          c.height = e.naturalHeight;
          c.getContext('2d').drawImage(e, 0, 0);
        }
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);""", imageOrCanvas);
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i).intValue();
    }
    return out;
  }

  /**
   * Drags the mouse over the mask canvas through the centres of the given pixels (x, y of an image of the
   * given side), button held from the first to the last.
   */
  void drawMask(int side, int[]... pixels) {
    WebElement canvas = byId("inpaint-canvas");
    double cssPerPixel = canvas.getRect().getWidth() / (double) side;
    Actions a = new Actions(driver);
    int[] prev = null;
    for (int[] p : pixels) {
      // offsets are from the element's centre in Selenium 4
      int x = (int) Math.round((p[0] + 0.5) * cssPerPixel - canvas.getRect().getWidth() / 2.0);
      int y = (int) Math.round((p[1] + 0.5) * cssPerPixel - canvas.getRect().getHeight() / 2.0);
      a.moveToElement(canvas, x, y);
      if (prev == null) {
        a.clickAndHold();
      }
      prev = p;
    }
    a.release().perform();
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  <T> T until(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(20)).until(condition);
  }
}
