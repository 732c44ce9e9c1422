package dev.scoresde.train.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scoresde.tensor.ValueRange;
import dev.scoresde.nn.Architecture;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.nn.reference.ReferenceConfig.Progressive;
import dev.scoresde.nn.reference.ReferenceConfig.ProgressiveInput;
import dev.scoresde.sde.SdeKind;
import dev.scoresde.sde.VeSde;
import dev.scoresde.train.TrainingJob;
import dev.scoresde.train.loss.LossKind;
import dev.scoresde.train.loss.Reduction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

class TrainingJobFactoryTest {
  @TempDir Path dir;

  static final TrainingJobFactory NO_PRESETS = new TrainingJobFactory(name -> {
    throw new IllegalArgumentException("no presets here");
  });

  static TrainingProperties bindYaml(Path yaml) throws IOException {
    List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("job", new FileSystemResource(yaml));
    return new Binder(ConfigurationPropertySources.from(sources)).bind("score-sde.train", TrainingProperties.class)
        .get();
  }

  static TrainingProperties bind(Map<String, String> values) {
    Map<String, String> prefixed = new HashMap<>();
    values.forEach((k, v) -> prefixed.put("score-sde.train." + k, v));
    return new Binder(new MapConfigurationPropertySource(prefixed)).bind("score-sde.train", TrainingProperties.class)
        .get();
  }

  @Test
  void exampleJobFilesBindAndValidate() throws IOException {
    TrainingJob vp = new TrainingJobFactory(dev.scoresde.nn.Presets::get)
        .plan(bindYaml(Path.of("jobs/fashion-mnist-ddpmpp-vp.yml"))).job();
    assertEquals(Architecture.DDPMPP, vp.network().architecture());
    assertEquals(1, vp.network().channels());
    assertEquals(28, vp.network().imageSize(), "Fashion-MNIST at its native size");
    assertEquals(10, vp.network().numClasses(), "the shipped VP model is class-conditional");
    assertEquals(SdeKind.VP, vp.sde().kind());
    assertEquals(Reduction.MEAN, vp.loss().reduction());
    assertEquals(Path.of("models/fashion-mnist-ddpmpp-vp"), vp.checkpointDir());
    assertTrue(vp.resume(), "resume defaults to true (continue when the folder has a checkpoint)");

    TrainingJobFactory presets = new TrainingJobFactory(dev.scoresde.nn.Presets::get);
    TrainingJobFactory.Plan ve = presets.plan(bindYaml(Path.of("jobs/fashion-mnist-ncsnpp-ve.yml")));
    assertEquals(25, ((VeSde) ve.job().sde()).sigmaMax());
    assertEquals(ValueRange.UNIT, ve.range());
    assertEquals(List.of(1, 2, 4), ve.job().network().chMult());
    assertEquals(0, ve.job().network().numClasses(), "the VE model is unconditional (classifier guidance)");
    assertEquals(EmbeddingType.FOURIER, ve.job().network().embedding());

    TrainingJob classifier = presets.plan(bindYaml(Path.of("jobs/fashion-mnist-classifier.yml"))).job();
    assertEquals(LossKind.CLASSIFIER, classifier.loss().kind());
    assertEquals(10, classifier.network().numClasses());

    TrainingJobFactory.Plan photos = NO_PRESETS.plan(bindYaml(Path.of("jobs/photos-ddpmpp-vp.yml")));
    assertEquals(3, photos.shape().channels());
    assertEquals(32, photos.shape().size());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    TrainingProperties p = bind(Map.of(
        "data.kind", "fashion-mnist",
        "data.pad-to", "31",
        "sde.kind", "vp",
        "loss.kind", "smld",
        "loss.label-dropout", "0.1",
        "network.architecture", "ddpmpp",
        "ema.rate", "1.5",
        "batch-size", "0",
        "devices", "gpu0,gpu0"));
    TrainingJobException e = assertThrows(TrainingJobException.class, () -> NO_PRESETS.plan(p));
    assertEquals(2, e.getExitCode());
    String m = e.getMessage();
    for (String expected : List.of("pad-to must be 28 or more", "smld loss needs sde.kind: ve",
        "label-dropout: label dropout needs class-conditional", "ema.rate: must be in [0, 1)",
        "score-sde.train.steps is required", "checkpoint.folder: is required",
        "devices: lists a device twice")) {
      assertTrue(m.contains(expected), "missing '" + expected + "' in:\n" + m);
    }
  }

  @Test
  void presetFieldsAreOverriddenOneByOneAndShapesComeFromTheData() {
    NetworkSpec preset = NetworkSpec.ncsnpp().channels(3).imageSize(64).nf(128).chMult(1, 2, 2, 2).numResBlocks(4)
        .attnResolutions(16).dropout(0.1).progressive(Progressive.OUTPUT_SKIP).build();
    TrainingJobFactory jobs = new TrainingJobFactory(name -> {
      if (!name.equals("ncsnpp-test")) {
        throw new IllegalArgumentException("unknown preset " + name + " (known: ncsnpp-test)");
      }
      return preset;
    });
    Map<String, String> v = new HashMap<>(Map.of("data.kind", "fashion-mnist", "sde.kind", "ve",
        "network.preset", "ncsnpp-test", "network.nf", "32", "class-conditional", "true", "steps", "10",
        "checkpoint.folder", dir.toString()));
    NetworkSpec spec = jobs.plan(bind(v)).job().network();
    assertEquals(NetworkSpec.ncsnpp().channels(1).imageSize(32).nf(32).chMult(1, 2, 2, 2).numResBlocks(4)
        .attnResolutions(16).dropout(0.1).progressive(Progressive.OUTPUT_SKIP).numClasses(10).build(), spec);
    v.put("network.preset", "nope");
    TrainingJobException e = assertThrows(TrainingJobException.class, () -> jobs.plan(bind(v)));
    assertTrue(e.getMessage().contains("unknown preset 'nope'") && e.getMessage().contains("known: ncsnpp-test"),
        e.getMessage());
  }

  @Test
  void anUnknownNetworkOptionNamesTheKnownOnes() {
    Map<String, String> v = new HashMap<>(Map.of("data.kind", "fashion-mnist", "sde.kind", "vp",
        "network.architecture", "unet", "network.nf", "8", "steps", "10", "checkpoint.folder", dir.toString()));
    TrainingJobException e = assertThrows(TrainingJobException.class, () -> NO_PRESETS.plan(bind(v)));
    assertTrue(e.getMessage().contains("unknown architecture 'unet', known: ddpmpp, ncsnpp, mlp, classifier,"
        + " feature-cnn, reference"), e.getMessage());
    v.put("network.architecture", "ncsnpp");
    v.put("network.progressive", "skip");
    e = assertThrows(TrainingJobException.class, () -> NO_PRESETS.plan(bind(v)));
    assertTrue(e.getMessage().contains("unknown progressive 'skip', known: none, output_skip, residual"),
        e.getMessage());
  }

  @Test
  void theNetworkOptionsOfAJobAreReadByTheirReferenceNames() {
    TrainingProperties p = bind(Map.of("data.kind", "fashion-mnist", "sde.kind", "ve",
        "network.architecture", "ncsnpp", "network.nf", "16", "network.progressive", "output_skip",
        "network.progressive-input", "input_skip", "network.embedding", "fourier", "steps", "10",
        "checkpoint.folder", dir.toString()));
    assertEquals(NetworkSpec.builder(Architecture.NCSNPP).channels(1).imageSize(32).nf(16)
        .progressive(Progressive.OUTPUT_SKIP).progressiveInput(ProgressiveInput.INPUT_SKIP)
        .embedding(EmbeddingType.FOURIER).build(), NO_PRESETS.plan(p).job().network());
  }

  @Test
  void aMissingDatasetIsADataFailureNamingThePath() {
    TrainingProperties p = bind(Map.of("data.kind", "fashion-mnist", "data.path", dir.resolve("absent").toString(),
        "sde.kind", "vp", "network.architecture", "ddpmpp", "network.nf", "8", "steps", "10",
        "checkpoint.folder", dir.resolve("run").toString()));
    TrainingJobFactory.Plan plan = NO_PRESETS.plan(p);
    TrainingJobException e = assertThrows(TrainingJobException.class, () -> NO_PRESETS.load(plan));
    assertEquals(3, e.getExitCode());
    assertTrue(e.getMessage().contains(dir.resolve("absent").toString()), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
