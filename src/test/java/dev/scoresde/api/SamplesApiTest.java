package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.sampling.settings.SamplerKind;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SamplesApiTest extends ServiceTestBase {

  /** The patterns preset's class-k mean: +0.8 where "on", −0.8 elsewhere (see MixtureModels). */
  static boolean on(int k, int r, int c) {
    return switch (k) {
      case 0 -> c % 2 == 0;
      case 1 -> r % 2 == 0;
      case 2 -> (r + c) % 2 == 0;
      default -> (r + c) % 2 == 1;
    };
  }

  /** Fraction of pixels on the class's side of mid-gray. */
  static double matches(byte[] png, int k) {
    BufferedImage img = ServiceFixtures.read(png);
    int hits = 0;
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        int v = img.getRaster().getSample(c, r, 0);
        hits += (v > 127) == on(k, r, c) ? 1 : 0;
      }
    }
    return hits / 16.0;
  }

  @Test
  void jsonHoldsBase64PngsAndMetadata() {
    JsonNode r = expect(200, postJson("/v1/models/patterns/samples", "{\"n\": 3, \"seed\": 5, \"steps\": 20}"));
    assertEquals(3, r.get("images").size());
    BufferedImage img = ServiceFixtures.read(unb64(r.at("/images/0").asString()));
    assertEquals(4, img.getWidth());
    assertEquals(4, img.getHeight());
    JsonNode md = r.get("metadata");
    assertEquals("patterns", md.get("model").asString());
    assertEquals("pc", md.get("sampler").asString());
    assertEquals(20, md.get("steps").asInt());
    assertEquals(20, md.get("nfe").asInt(), "Euler–Maruyama without corrector: one evaluation per step");
    assertEquals(5, md.get("seed").asLong());
    assertTrue(md.has("wallTimeMs"));
  }

  @Test
  void theSameSeedGivesTheSameImagesAndAnotherSeedOthers() {
    String a = postJson("/v1/models/patterns/samples", "{\"n\": 2, \"seed\": 11}").body();
    String b = postJson("/v1/models/patterns/samples", "{\"n\": 2, \"seed\": 11}").body();
    String c = postJson("/v1/models/patterns/samples", "{\"n\": 2, \"seed\": 12}").body();
    assertEquals(JSON.readTree(a).get("images"), JSON.readTree(b).get("images"));
    assertFalse(JSON.readTree(a).get("images").equals(JSON.readTree(c).get("images")));
  }

  @Test
  void acceptPngAnswersOneGrid() {
    HttpResponse<byte[]> r = postJsonForBytes("/v1/models/patterns/samples", "{\"n\": 4, \"seed\": 1}", "image/png");
    assertEquals(200, r.statusCode());
    assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
    BufferedImage grid = ServiceFixtures.read(r.body());
    assertEquals(2 * 4 + 3 * 2, grid.getWidth(), "2 × 2 cells of 4 pixels with 2-pixel gutters");
    assertEquals(2 * 4 + 3 * 2, grid.getHeight());
  }

  @Test
  void classConditionalSamplesShowTheirClassByIdOrName() {
    JsonNode byName = expect(200, postJson("/v1/models/patterns/samples",
        "{\"n\": 8, \"seed\": 3, \"steps\": 40, \"classLabel\": \"checker\"}"));
    JsonNode byId = expect(200, postJson("/v1/models/patterns/samples",
        "{\"n\": 8, \"seed\": 3, \"steps\": 40, \"classLabel\": 2}"));
    assertEquals(byName.get("images"), byId.get("images"));
    assertEquals("checker", byName.at("/metadata/className").asString());
    for (JsonNode png : byName.get("images")) {
      assertTrue(matches(unb64(png.asString()), 2) >= 0.9, "a checker sample looks like a checkerboard");
    }
    JsonNode guided = expect(200, postJson("/v1/models/patterns/samples",
        "{\"n\": 8, \"seed\": 3, \"steps\": 40, \"classLabel\": \"vertical\", \"guidanceMode\": \"classifier\","
            + " \"guidance\": 1}"));
    for (JsonNode png : guided.get("images")) {
      assertTrue(matches(unb64(png.asString()), 0) >= 0.9, "classifier guidance with scale 1 is conditional sampling");
    }
  }

  @Test
  void everySamplerKindRuns() {
    for (String s : SamplerKind.ids()) {
      JsonNode r = expect(200, postJson("/v1/models/patterns/samples",
          "{\"n\": 2, \"seed\": 1, \"steps\": 10, \"rtol\": 1e-3, \"atol\": 1e-3, \"sampler\": \"" + s + "\"}"));
      assertEquals(s, r.at("/metadata/sampler").asString());
      assertTrue(r.at("/metadata/nfe").asInt() > 0);
    }
    JsonNode pc = expect(200, postJson("/v1/models/patterns/samples",
        "{\"n\": 1, \"steps\": 10, \"corrector\": \"langevin\", \"snr\": 0.1, \"temperature\": 0.7}"));
    assertEquals(20, pc.at("/metadata/nfe").asInt(), "predictor and corrector each evaluate once per step");
    assertEquals(0.7, pc.at("/metadata/temperature").asDouble());
  }

  @Test
  void dpmSolverOnTheLogSnrGridDrawsTheClassInTenStepsWithElevenEvaluations() {
    JsonNode r = expect(200, postJson("/v1/models/patterns/samples", "{\"n\": 4, \"seed\": 7, \"steps\": 10,"
        + " \"sampler\": \"dpm-solver++2m\", \"timeGrid\": \"log-snr\", \"classLabel\": \"checker\"}"));
    assertEquals(4, r.get("images").size());
    JsonNode md = r.get("metadata");
    assertEquals("dpm-solver++2m", md.get("sampler").asString());
    assertEquals("log-snr", md.get("timeGrid").asString());
    assertEquals(11, md.get("nfe").asInt(), "one evaluation per solver step plus one for the final mean");
    for (JsonNode png : r.get("images")) {
      assertTrue(matches(unb64(png.asString()), 2) >= 0.9, "ten solver steps already give checkerboards");
    }
    JsonNode karras = expect(200, postJson("/v1/models/patterns/samples", "{\"n\": 4, \"seed\": 7, \"steps\": 10,"
        + " \"sampler\": \"dpm-solver++2m\", \"timeGrid\": \"karras\", \"classLabel\": \"checker\"}"));
    assertEquals("karras", karras.at("/metadata/timeGrid").asString());
    assertFalse(r.get("images").equals(karras.get("images")), "the grid reaches the solver");
  }

  @Test
  void heunChurnAndDdimEtaMakeTheSolversStochastic() {
    String heun = "{\"n\": 2, \"seed\": 3, \"steps\": 6, \"sampler\": \"heun\"";
    JsonNode plain = expect(200, postJson("/v1/models/patterns/samples", heun + "}"));
    JsonNode churned = expect(200, postJson("/v1/models/patterns/samples", heun + ", \"churn\": 10}"));
    assertEquals(0.0, plain.at("/metadata/churn").asDouble());
    assertEquals(10.0, churned.at("/metadata/churn").asDouble());
    assertEquals("karras", churned.at("/metadata/timeGrid").asString(), "heun's default grid");
    assertTrue(churned.at("/metadata/nfe").asInt() >= 12, "two evaluations per Heun step");
    assertFalse(plain.get("images").equals(churned.get("images")), "churn adds noise");
    assertEquals(churned.get("images"),
        expect(200, postJson("/v1/models/patterns/samples", heun + ", \"churn\": 10}")).get("images"),
        "the added noise comes from the seed");
    String ddim = "{\"n\": 2, \"seed\": 3, \"steps\": 8, \"sampler\": \"ddim\"";
    JsonNode deterministic = expect(200, postJson("/v1/models/patterns/samples", ddim + ", \"eta\": 0}"));
    JsonNode noisy = expect(200, postJson("/v1/models/patterns/samples", ddim + ", \"eta\": 1}"));
    assertEquals(1.0, noisy.at("/metadata/eta").asDouble());
    assertEquals(9, noisy.at("/metadata/nfe").asInt(), "one evaluation per DDIM step plus the final mean");
    assertEquals("quadratic", noisy.at("/metadata/timeGrid").asString(), "ddim's default grid");
    assertFalse(deterministic.get("images").equals(noisy.get("images")), "η > 0 adds noise");
  }

  @Test
  void temperatureOneIsTheDefaultBitForBit() {
    String body = "{\"n\": 2, \"seed\": 9, \"steps\": 10, \"sampler\": \"ddim\"";
    JsonNode plain = expect(200, postJson("/v1/models/patterns/samples", body + "}"));
    assertEquals(plain.get("images"),
        expect(200, postJson("/v1/models/patterns/samples", body + ", \"temperature\": 1}")).get("images"));
    JsonNode cold = expect(200, postJson("/v1/models/patterns/samples", body + ", \"temperature\": 0.5}"));
    assertEquals(0.5, cold.at("/metadata/temperature").asDouble());
    assertFalse(plain.get("images").equals(cold.get("images")), "τ scales the start of the deterministic solver");
  }

  @Test
  void aNetworkCheckpointServesPlainAndGuidedSamples() {
    JsonNode r = expect(200, postJson("/v1/models/tiny/samples", "{\"n\": 2, \"seed\": 1, \"steps\": 4}"));
    BufferedImage img = ServiceFixtures.read(unb64(r.at("/images/0").asString()));
    assertEquals(6, img.getWidth(), "the 8 × 8 frame is cropped to the original 6 × 6");
    assertEquals(4, r.at("/metadata/nfe").asInt(), "Euler–Maruyama: one evaluation per step");
    JsonNode g = expect(200, postJson("/v1/models/tiny/samples",
        "{\"n\": 2, \"seed\": 1, \"steps\": 4, \"classLabel\": \"one\", \"guidance\": 2}"));
    assertEquals("classifier-free", g.at("/metadata/guidanceMode").asString());
    byte[] plain = unb64(r.at("/images/0").asString());
    byte[] guided = unb64(g.at("/images/0").asString());
    assertFalse(java.util.Arrays.equals(plain, guided), "the label changes the score");
    assertArrayEquals(guided, unb64(expect(200, postJson("/v1/models/tiny/samples",
        "{\"n\": 2, \"seed\": 1, \"steps\": 4, \"classLabel\": 1, \"guidance\": 2}")).at("/images/0").asString()));
    JsonNode c = expect(200, postJson("/v1/models/tiny/samples",
        "{\"n\": 2, \"seed\": 1, \"steps\": 4, \"classLabel\": \"one\", \"guidanceMode\": \"classifier\","
            + " \"guidance\": 5}"));
    assertEquals("classifier", c.at("/metadata/guidanceMode").asString());
    assertFalse(java.util.Arrays.equals(plain, unb64(c.at("/images/0").asString())),
        "the classifier checkpoint's gradient steers the samples");
  }
}
