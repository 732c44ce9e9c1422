package dev.scoresde.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ModelsApiTest extends ServiceTestBase {

  @Test
  void listsEveryConfiguredModelWithItsStatus() {
    JsonNode models = expect(200, get("/v1/models"));
    List<String> seen = new ArrayList<>();
    for (JsonNode m : models) {
      seen.add(m.get("name").asString() + ":" + m.get("status").asString());
    }
    assertTrue(seen.containsAll(List.of("patterns:ready", "colors:ready", "tiny:ready", "broken:failed",
        "off:disabled")), seen.toString());
  }

  @Test
  void describesAModelsSdeShapeClassesOperationsAndSamplers() {
    JsonNode m = expect(200, get("/v1/models/patterns"));
    assertEquals("vp", m.at("/sde/kind").asString());
    assertEquals(1, m.at("/shape/channels").asInt());
    assertEquals(4, m.at("/shape/size").asInt());
    assertEquals(-1.0, m.at("/valueRange/0").asDouble());
    assertEquals("checker", m.at("/classNames/2").asString());
    assertTrue(m.get("operations").toString().contains("likelihood"));
    assertTrue(m.at("/allowed/samplers").toString().contains("euler-maruyama"));
    assertEquals("euler-maruyama", m.at("/samplerDefaults/predictor").asString());
    assertEquals("none", m.at("/samplerDefaults/corrector").asString(), "no Langevin corrector on a mixture");
    assertEquals(1.0, m.at("/samplerDefaults/temperature").asDouble());
    assertEquals(0.0, m.at("/samplerDefaults/eta").asDouble());
    assertTrue(m.at("/allowed/samplers").toString().contains("dpm-solver++2m"));
    assertEquals("[\"uniform\",\"quadratic\",\"log-snr\",\"karras\"]", m.at("/allowed/timeGrids").toString());
    assertEquals(2.0, m.at("/allowed/temperature/1").asDouble());
    assertEquals(0.0, m.at("/samplerDefaults/measurementGuidanceWeight").asDouble(), "an image model: replacement alone");
    assertTrue(m.at("/samplerDefaults/measurementGuidanceWeight").isNumber(), m.toString());
    JsonNode tiny = expect(200, get("/v1/models/tiny"));
    assertEquals("vp", tiny.at("/sde/kind").asString());
    assertEquals(6, tiny.at("/shape/originalSize").asInt());
    assertEquals("none", tiny.at("/samplerDefaults/corrector").asString());
    assertTrue(tiny.at("/allowed/guidanceModes").toString().contains("classifier-free"));
    assertTrue(tiny.at("/allowed/guidanceModes").toString().contains("\"classifier\""), tiny.toString());
  }

  @Test
  void aBrokenModelIsReportedWithItsReasonAndOthersServe() {
    JsonNode b = expect(200, get("/v1/models/broken"));
    assertEquals("failed", b.get("status").asString());
    assertTrue(b.get("error").asString().contains("model.json"), b.toString());
    expect(503, postJson("/v1/models/broken/samples", "{}"));
    expect(503, postJson("/v1/models/off/samples", "{}"));
    expect(200, postJson("/v1/models/patterns/samples", "{\"n\": 1, \"seed\": 1}"));
  }

  @Test
  void unknownModelIs404() {
    JsonNode p = expect(404, get("/v1/models/nope"));
    assertTrue(p.get("detail").asString().contains("nope"));
    expect(404, postJson("/v1/models/nope/samples", "{}"));
  }

  @Test
  void readinessIsUpOnceModelsAreLoadedAndOnlyThreeEndpointsAreExposed() {
    assertEquals(200, get("/actuator/health/readiness").statusCode());
    assertEquals(200, get("/actuator/health/liveness").statusCode());
    assertTrue(get("/actuator/health/readiness").body().contains("UP"));
    assertEquals(200, get("/actuator/info").statusCode());
    assertEquals(404, get("/actuator/env").statusCode());
    assertEquals(404, get("/actuator/beans").statusCode());
  }
}
