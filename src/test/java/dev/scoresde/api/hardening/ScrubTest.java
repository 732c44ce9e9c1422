package dev.scoresde.api.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScrubTest {

  @Test
  void absolutePathsBecomeTheirFileName() {
    assertEquals("cannot read model.json: Unexpected character",
        Scrub.detail("cannot read /tmp/service-test123/broken/model.json: Unexpected character"));
    assertEquals("model folder not found: fashion-mnist", Scrub.detail("model folder not found: /models/fashion-mnist"));
    assertEquals("no ema.safetensors in run-3", Scrub.detail("no ema.safetensors in /home/u/runs/run-3"));
    assertEquals("bad x.json", Scrub.detail("bad file:/srv/models/x.json"));
    assertEquals("bad m.pth", Scrub.detail("bad C:\\Users\\me\\m.pth"));
  }

  @Test
  void urlsAndApiPathsStay() {
    String s = "see https://example.com/a/b and /v1/models/patterns/samples or /actuator/health";
    assertEquals(s, Scrub.detail(s));
    assertEquals("ratio 3/4 of n", Scrub.detail("ratio 3/4 of n"));
  }

  @Test
  void echoedValuesAndDetailsAreCut() {
    String d = Scrub.detail("unknown sampler '" + "x".repeat(10_000) + "' (expected pc, ode)");
    assertEquals("unknown sampler '" + "x".repeat(64) + "…' (expected pc, ode)", d);
    assertEquals("unknown sampler 'short' (expected pc)", Scrub.detail("unknown sampler 'short' (expected pc)"));
    String long1 = Scrub.detail("y".repeat(5000));
    assertEquals(Scrub.MAX_DETAIL + 1, long1.length());
    assertTrue(long1.endsWith("…"));
  }
}
