package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.likelihood.BitsPerDim;
import dev.scoresde.score.GaussianMixtureScore;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.ValueRange;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FlowApiTest extends ServiceTestBase {
  static final byte[] A = ServiceFixtures.grayPng(4, (x, y) -> (x + y) % 2 == 0 ? 230 : 25);
  static final byte[] B = ServiceFixtures.grayPng(4, (x, y) -> x % 2 == 0 ? 230 : 25);

  static int maxDiff(byte[] a, byte[] b) {
    BufferedImage x = ServiceFixtures.read(a);
    BufferedImage y = ServiceFixtures.read(b);
    int d = 0;
    for (int r = 0; r < x.getHeight(); r++) {
      for (int c = 0; c < x.getWidth(); c++) {
        d = Math.max(d, Math.abs(x.getRaster().getSample(c, r, 0) - y.getRaster().getSample(c, r, 0)));
      }
    }
    return d;
  }

  static double norm(JsonNode v) {
    double s = 0;
    for (JsonNode x : v) {
      s += x.asDouble() * x.asDouble();
    }
    return Math.sqrt(s);
  }

  @Test
  void decodingAnEncodingGivesTheImageBack() {
    JsonNode enc = expect(200, postJson("/v1/models/patterns/encode", "{\"images\": [\"" + b64(A) + "\", \"" + b64(B)
        + "\"], \"rtol\": 1e-4, \"atol\": 1e-4}"));
    assertEquals(2, enc.get("latents").size());
    assertEquals(16, enc.at("/latents/0").size());
    assertTrue(enc.at("/metadata/nfe").asInt() > 0);
    JsonNode dec = expect(200, postJson("/v1/models/patterns/decode", "{\"latents\": " + enc.get("latents") + ", \"rtol\": 1e-4, \"atol\": 1e-4}"));
    assertTrue(maxDiff(A, unb64(dec.at("/images/0").asString())) <= 2);
    assertTrue(maxDiff(B, unb64(dec.at("/images/1").asString())) <= 2);
  }

  @Test
  void interpolatingTwoImagesStartsAndEndsAtThem() {
    JsonNode r = expect(200, postJson("/v1/models/patterns/interpolate", "{\"imageA\": \"" + b64(A)
        + "\", \"imageB\": \"" + b64(B) + "\", \"frames\": 4, \"rtol\": 1e-4, \"atol\": 1e-4}"));
    assertEquals(4, r.get("images").size());
    assertTrue(maxDiff(A, unb64(r.at("/images/0").asString())) <= 2);
    assertTrue(maxDiff(B, unb64(r.at("/images/3").asString())) <= 2);
    assertEquals("images", r.at("/metadata/endpoints").asString());
  }

  @Test
  void interpolatingTwoSeedsWalksBetweenTheirPriorDraws() throws Exception {
    JsonNode slerp = expect(200, postJson("/v1/models/patterns/interpolate",
        "{\"seedA\": 1, \"seedB\": 2, \"frames\": 3, \"method\": \"slerp\", \"rtol\": 1e-3, \"atol\": 1e-3}"));
    JsonNode linear = expect(200, postJson("/v1/models/patterns/interpolate",
        "{\"seedA\": 1, \"seedB\": 2, \"frames\": 3, \"method\": \"linear\", \"rtol\": 1e-3, \"atol\": 1e-3}"));
    try (NDManager m = NDManager.newBaseManager()) {
      float[] z = Rng.of(1, 1).normal(m, new Shape(1, 1, 4, 4)).toFloatArray();
      for (int i = 0; i < 16; i++) {
        assertEquals(z[i], slerp.at("/latents/0/" + i).floatValue(), 1e-6, "frame 0 is seed A's prior draw");
      }
    }
    assertEquals(slerp.at("/images/0"), linear.at("/images/0"));
    assertEquals(slerp.at("/images/2"), linear.at("/images/2"));
    assertTrue(norm(slerp.at("/latents/1")) > norm(linear.at("/latents/1")),
        "slerp keeps the midpoint's norm where the linear path shrinks it");
  }

  @Test
  void exactLikelihoodMatchesTheMixturesDensity() {
    JsonNode r = expect(200, postJson("/v1/models/patterns/likelihood", "{\"images\": [\"" + b64(A) + "\", \""
        + b64(B) + "\"], \"estimator\": \"exact\", \"seed\": 3, \"rtol\": 1e-4, \"atol\": 1e-4}"));
    GaussianMixtureScore exact = (GaussianMixtureScore) registry.require("patterns").score();
    try (NDManager m = NDManager.newBaseManager()) {
      float[] px = new float[32];
      for (int i = 0; i < 16; i++) {
        int x = i % 4;
        int y = i / 4;
        px[i] = (x + y) % 2 == 0 ? 230 : 25;
        px[16 + i] = x % 2 == 0 ? 230 : 25;
      }
      NDArray pixels = m.create(px, new Shape(2, 1, 4, 4));
      NDArray x = BitsPerDim.dequantize(pixels, Rng.of(3, 2), ValueRange.SYMMETRIC);
      float[] logp = exact.logDensity(x, m.create(new float[] {1e-5f, 1e-5f})).toFloatArray();
      for (int i = 0; i < 2; i++) {
        double want = BitsPerDim.fromLogLikelihood(logp[i], 16, ValueRange.SYMMETRIC);
        assertEquals(want, r.at("/metadata/bitsPerDim/" + i).asDouble(), 0.02, "image " + i);
      }
    }
    assertEquals("exact", r.at("/metadata/estimator").asString());
    assertTrue(r.at("/metadata/nfe").asInt() > 0);
  }

  @Test
  void hutchinsonProbesReportAStandardErrorThatCoversTheExactValue() {
    String image = "{\"images\": [\"" + b64(A) + "\"], \"seed\": 3, \"rtol\": 1e-4, \"atol\": 1e-4, ";
    JsonNode r = expect(200, postJson("/v1/models/patterns/likelihood", image + "\"probes\": 8}"));
    JsonNode exact = expect(200, postJson("/v1/models/patterns/likelihood", image + "\"estimator\": \"exact\"}"));
    double se = r.at("/metadata/standardError/0").asDouble();
    assertTrue(se > 0 && Double.isFinite(se), "standard error " + se);
    assertEquals(8, r.at("/metadata/probes").asInt());
    double hutchinson = r.at("/metadata/bitsPerDim/0").asDouble();
    double truth = exact.at("/metadata/bitsPerDim/0").asDouble();
    assertEquals(truth, hutchinson, 4 * se + 0.05, "same dequantization, unbiased probes");
  }
}
