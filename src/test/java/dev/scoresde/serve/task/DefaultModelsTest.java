package dev.scoresde.serve.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.sampling.settings.SamplerFields;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.GuidanceMode;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ModelsProperties;
import dev.scoresde.serve.model.ServedModel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The server's own configuration (application.yml, as `./mvnw spring-boot:run` reads it) names only models that
 * are shipped: every one of them loads, so a fresh checkout serves them all and none is reported failed.
 */
class DefaultModelsTest {

  @Test
  void everyConfiguredModelIsShippedAndLoads() throws Exception {
    ModelsProperties props = bindApplicationYml();
    assertTrue(props.models().size() >= 5, "the default models: " + props.models().keySet());
    try (ModelRegistry registry = new ModelRegistry(props, new CheckpointStore(NetworkFactory.NETWORKS))) {
      registry.loaded().get(5, TimeUnit.MINUTES);
      for (ModelRegistry.Entry e : registry.entries()) {
        assertEquals(ModelRegistry.Status.READY, e.status(), e.name() + ": " + e.error());
      }
      ServedModel ve = registry.require("fashion-mnist-ncsnpp-ve");
      assertTrue(ve.classifier() != null, "the VE model is class-conditional through its classifier");
      assertEquals(3.0, ve.guidance().classifierScale(), "the scale it was evaluated with");
      assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
          "Bag", "Ankle boot"), ve.classNames());
      // A request by class name binds to classifier guidance at the configured scale and runs end to end.
      SamplerFields fast = SamplerFields.of("sde-dpm-solver++2m", 3);
      SampleTask task = SampleTask.of(new Operation.Sample("fashion-mnist-ncsnpp-ve", 2, fast, 7L, "Sneaker", null,
          null), ve, ServeProperties.defaults());
      assertEquals(7, task.label());
      assertEquals(GuidanceMode.CLASSIFIER, task.mode());
      assertEquals(3.0, task.guidance());
      try (ai.djl.ndarray.NDManager scope = ve.manager().newSubManager()) {
        OperationResult r = task.run(scope, dev.scoresde.sampling.SamplingListener.NONE);
        assertEquals(2, r.images().size());
        for (float v : r.images().get(0)) {
          assertTrue(Float.isFinite(v));
        }
      }
      // The photo model colorizes with the measurement guidance it was evaluated with, through the real network.
      ServedModel photos = registry.require("photos-ddpmpp-vp");
      assertEquals(0.01, photos.guidance().measurementWeight(), "the weight it was evaluated with");
      java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(32, 32,
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          gray.getRaster().setSample(x, y, 0, 40 + 5 * x + 2 * y);
        }
      }
      java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(gray, "png", png);
      EditTask colorize = EditTask.colorize(new Operation.Colorize("photos-ddpmpp-vp", png.toByteArray(), 1, fast, 3L,
          null), photos, ServeProperties.defaults());
      assertEquals(0.01, colorize.guidance());
      try (ai.djl.ndarray.NDManager scope = photos.manager().newSubManager()) {
        float[] rgb = colorize.run(scope, dev.scoresde.sampling.SamplingListener.NONE).images().get(0);
        int pixels = 32 * 32;
        for (int p = 0; p < pixels; p++) {
          float mean = (rgb[p] + rgb[pixels + p] + rgb[2 * pixels + p]) / 3;
          assertEquals(colorize.known()[p], mean, 1e-4f, "the gray channel is the input's, pixel " + p);
        }
      }
    }
  }

  static ModelsProperties bindApplicationYml() throws IOException {
    StandardEnvironment env = new StandardEnvironment();
    for (PropertySource<?> s : new YamlPropertySourceLoader().load("application", new ClassPathResource(
        "application.yml"))) {
      env.getPropertySources().addLast(s);
    }
    return Binder.get(env).bind("score-sde", ModelsProperties.class).get();
  }
}
