package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EditingApiTest extends ServiceTestBase {
  /** The checker class's mean as pixels: +0.8 → 230, −0.8 → 25. */
  static final byte[] CHECKER = ServiceFixtures.grayPng(4, (x, y) -> (x + y) % 2 == 0 ? 230 : 25);
  /** Left half known (white), right half to fill in (black). */
  static final byte[] LEFT_KNOWN = ServiceFixtures.grayPng(4, (x, y) -> x < 2 ? 255 : 0);

  static void assertInpainted(byte[] png) {
    BufferedImage img = ServiceFixtures.read(png);
    int agree = 0;
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        int v = img.getRaster().getSample(x, y, 0);
        int want = (x + y) % 2 == 0 ? 230 : 25;
        if (x < 2) {
          assertEquals(want, v, "known pixel (" + x + ", " + y + ") is returned exactly");
        } else {
          agree += (v > 127) == (want > 127) ? 1 : 0;
        }
      }
    }
    assertTrue(agree >= 7, "the completion continues the checkerboard: " + agree + " of 8");
  }

  @Test
  void inpaintingKeepsKnownPixelsAndCompletesThePattern() {
    JsonNode r = expect(200, postJson("/v1/models/patterns/inpaint", "{\"image\": \"" + b64(CHECKER)
        + "\", \"mask\": \"data:image/png;base64," + b64(LEFT_KNOWN) + "\", \"n\": 3, \"steps\": 30, \"seed\": 2}"));
    assertEquals(3, r.get("images").size());
    for (JsonNode png : r.get("images")) {
      assertInpainted(unb64(png.asString()));
    }
    assertEquals("inpaint", r.get("operation").asString());
  }

  @Test
  void multipartInpaintingMatchesJson() {
    String json = postJson("/v1/models/patterns/inpaint", "{\"image\": \"" + b64(CHECKER) + "\", \"mask\": \""
        + b64(LEFT_KNOWN) + "\", \"n\": 2, \"steps\": 30, \"seed\": 9}").body();
    HttpResponse<String> multi = send(Multipart.builder().file("image", "c.png", CHECKER)
        .file("mask", "m.png", LEFT_KNOWN).field("n", "2").field("steps", "30").field("seed", "9")
        .request(uri("/v1/models/patterns/inpaint")));
    JsonNode m = expect(200, multi);
    assertEquals(JSON.readTree(json).get("images"), m.get("images"));
    assertInpainted(unb64(m.at("/images/1").asString()));
  }

  /** Measurement guidance over HTTP: JSON and multipart agree, the metadata names the weight, known pixels stay. */
  @Test
  void guidedInpaintingKeepsKnownPixelsAndReportsItsWeight() {
    String body = "{\"image\": \"" + b64(CHECKER) + "\", \"mask\": \"" + b64(LEFT_KNOWN)
        + "\", \"n\": 2, \"steps\": 30, \"seed\": 9, \"guidance\": 0.5}";
    JsonNode r = expect(200, postJson("/v1/models/patterns/inpaint", body));
    assertEquals(0.5, r.at("/metadata/guidance").asDouble(), r.toString());
    HttpResponse<String> multi = send(Multipart.builder().file("image", "c.png", CHECKER)
        .file("mask", "m.png", LEFT_KNOWN).field("n", "2").field("steps", "30").field("seed", "9")
        .field("guidance", "0.5").request(uri("/v1/models/patterns/inpaint")));
    assertEquals(r.get("images"), expect(200, multi).get("images"));
    for (JsonNode png : r.get("images")) {
      assertInpainted(unb64(png.asString()));
    }
    JsonNode plain = expect(200, postJson("/v1/models/patterns/inpaint", body.replace(", \"guidance\": 0.5", "")));
    assertTrue(plain.at("/metadata/guidance").isNumber(), plain.toString());
    assertEquals(0.0, plain.at("/metadata/guidance").asDouble(), "the model's default: replacement alone");
  }

  @Test
  void colorizationKeepsTheGrayChannel() {
    byte[] gray = ServiceFixtures.grayPng(4, (x, y) -> 100 + 10 * x);
    JsonNode r = expect(200, postJson("/v1/models/colors/colorize", "{\"image\": \"" + b64(gray)
        + "\", \"n\": 2, \"steps\": 30, \"seed\": 4}"));
    HttpResponse<String> multi = send(Multipart.builder().file("image", "g.png", gray).field("n", "2")
        .field("steps", "30").field("seed", "4").request(uri("/v1/models/colors/colorize")));
    assertEquals(r.get("images"), expect(200, multi).get("images"));
    for (JsonNode png : r.get("images")) {
      BufferedImage img = ServiceFixtures.read(unb64(png.asString()));
      boolean coloured = false;
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          int rgb = img.getRGB(x, y);
          int red = (rgb >> 16) & 255;
          int green = (rgb >> 8) & 255;
          int blue = rgb & 255;
          double mean = (red + green + blue) / 3.0;
          assertEquals(100 + 10 * x, mean, 1.0, "the gray channel is the input's");
          coloured |= Math.abs(red - green) > 20 || Math.abs(green - blue) > 20;
        }
      }
      assertTrue(coloured, "the colours come from the model, not the input");
    }
    // a colour input is converted to gray first
    byte[] rgb = ServiceFixtures.rgbPng(4, (x, y) -> 0xC86432);
    expect(200, postJson("/v1/models/colors/colorize", "{\"image\": \"" + b64(rgb) + "\", \"steps\": 10}"));
  }
}
