package dev.scoresde.serve.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.MixtureModels;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.model.ServedModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A class-conditional request without guidance gets its model's configured default, per guidance mode. */
class GuidanceDefaultsTest {
  static ServedModel model;
  static final ServeProperties PROPS = ServeProperties.defaults();

  @BeforeAll
  static void load() {
    model = MixtureModels.create("patterns", MixtureModels.patterns16(), "cpu");
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static SampleTask bind(ServedModel m, Double guidance, String mode) {
    return SampleTask.of(new Operation.Sample("patterns", 1, null, 1L, "checker", guidance, mode), m, PROPS);
  }

  @Test
  void requestsWithoutGuidanceGetTheModelsDefaultOfTheirMode() {
    assertEquals(1.0, bind(model, null, "classifier").guidance(), "the paper's conditional SDE");
    assertEquals(0.0, bind(model, null, "classifier-free").guidance(), "plain conditional sampling");
    ServedModel tuned = model.withGuidance(new ModelsProperties.Model(null, null, null, null, null, null,
        new ModelsProperties.Guidance(3.0, null, null), null).guidanceOrDefault());
    assertEquals(3.0, bind(tuned, null, "classifier").guidance());
    assertEquals(0.0, bind(tuned, null, "classifier-free").guidance(), "unset stays the paper's");
    assertEquals(0.5, bind(tuned, 0.5, "classifier").guidance(), "a request's own guidance wins");
    ServedModel both = model.withGuidance(new ServedModel.GuidanceDefaults(2, 1.5));
    assertEquals(1.5, bind(both, null, "classifier-free").guidance());
    assertEquals(1.5, bind(both, null, null).guidance(), "the default mode (classifier-free here) and its default");
  }

  @Test
  void negativeOrInfiniteDefaultsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ServedModel.GuidanceDefaults(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ServedModel.GuidanceDefaults(1, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new ServedModel.GuidanceDefaults(Double.POSITIVE_INFINITY, 0));
    assertThrows(IllegalArgumentException.class, () -> new ServedModel.GuidanceDefaults(1, 0, -0.1));
  }

  @Test
  void measurementGuidanceDefaultIsTheReplacementAloneUnlessConfigured() {
    assertEquals(0.0, ServedModel.GuidanceDefaults.PAPER.measurementWeight());
    assertEquals(0.03, new ModelsProperties.Model(null, null, null, null, null, null,
        new ModelsProperties.Guidance(null, null, 0.03), null).guidanceOrDefault().measurementWeight());
    assertEquals(1.0, new ModelsProperties.Model(null, null, null, null, null, null,
        new ModelsProperties.Guidance(null, null, 0.03), null).guidanceOrDefault().classifierScale(), "others stay the paper's");
  }
}
