package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A checkpoint of the reference implementation, imported by the import command, served by the unchanged server:
 * every operation answers for it.
 */
class ImportedModelApiTest extends ServiceTestBase {
  static final String BASE = "/v1/models/imported/";
  /** A 16 × 16 RGB gradient. */
  static final byte[] PHOTO = ServiceFixtures.rgbPng(16, (x, y) -> (x * 16) << 16 | (y * 16) << 8 | 128);
  /** Left half known (white), right half to fill in. */
  static final byte[] LEFT_KNOWN = ServiceFixtures.rgbPng(16, (x, y) -> x < 8 ? 0xffffff : 0);

  @Test
  void describesWhereItCameFrom() {
    JsonNode m = expect(200, get("/v1/models/imported"));
    assertEquals("ready", m.get("status").asString(), m.toString());
    assertTrue(m.toString().contains("yang-song/score_sde_pytorch"), m.toString());
    assertTrue(m.toString().contains("ve/cifar10_ncsnpp_continuous"), m.toString());
  }

  @Test
  void samplesWithAFastSolver() {
    JsonNode r = expect(200, postJson(BASE + "samples",
        "{\"n\": 2, \"sampler\": \"dpm-solver++2m\", \"steps\": 5, \"seed\": 1}"));
    assertEquals(2, r.get("images").size());
    BufferedImage img = ServiceFixtures.read(unb64(r.at("/images/0").asString()));
    assertEquals(16, img.getWidth());
    assertEquals(3, img.getRaster().getNumBands());
  }

  @Test
  void inpaintsKeepingTheKnownPixels() {
    JsonNode r = expect(200, postJson(BASE + "inpaint", "{\"image\": \"" + b64(PHOTO) + "\", \"mask\": \""
        + b64(LEFT_KNOWN) + "\", \"n\": 1, \"steps\": 5, \"seed\": 2}"));
    BufferedImage out = ServiceFixtures.read(unb64(r.at("/images/0").asString()));
    BufferedImage in = ServiceFixtures.read(PHOTO);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(in.getRGB(x, y), out.getRGB(x, y), "known pixel (" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void colorizesInterpolatesMeasuresEncodesAndDecodes() {
    JsonNode c = expect(200, postJson(BASE + "colorize", "{\"image\": \"" + b64(PHOTO) + "\", \"n\": 1, \"steps\": 5}"));
    assertEquals(1, c.get("images").size());
    JsonNode i = expect(200, postJson(BASE + "interpolate", "{\"imageA\": \"" + b64(PHOTO) + "\", \"imageB\": \""
        + b64(LEFT_KNOWN) + "\", \"frames\": 3, \"rtol\": 1e-2, \"atol\": 1e-2}"));
    assertEquals(3, i.get("images").size());
    JsonNode l = expect(200, postJson(BASE + "likelihood", "{\"images\": [\"" + b64(PHOTO)
        + "\"], \"seed\": 3, \"rtol\": 1e-2, \"atol\": 1e-2}"));
    double bpd = l.at("/metadata/bitsPerDim/0").asDouble(Double.NaN);
    assertTrue(Double.isFinite(bpd) && bpd > 0, l.toString());
    JsonNode enc = expect(200, postJson(BASE + "encode", "{\"images\": [\"" + b64(PHOTO)
        + "\"], \"rtol\": 1e-3, \"atol\": 1e-3}"));
    assertEquals(768, enc.at("/latents/0").size());
    JsonNode dec = expect(200, postJson(BASE + "decode", "{\"latents\": " + enc.get("latents")
        + ", \"rtol\": 1e-3, \"atol\": 1e-3}"));
    assertEquals(1, dec.get("images").size());
  }
}
