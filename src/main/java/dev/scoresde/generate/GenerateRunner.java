package dev.scoresde.generate;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.NetworkFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar score-sde.jar --spring.profiles.active=generate --score-sde.generate.model=… --score-sde.generate.output=…
 * --score-sde.generate.count=N --score-sde.generate.shards=n [--score-sde.generate.shard=i]}: writes shard i of n
 * and exits (see {@link ShardGenerator}). In a Kubernetes Indexed Job the shard is the pod's JOB_COMPLETION_INDEX.
 */
@Component
@Profile("generate")
record GenerateRunner(GenerateProperties properties, NetworkFactory factory) implements ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateRunner.class);

  @Override
  public void run(ApplicationArguments args) {
    ShardPlan plan = properties.plan();
    Device device = device(properties.deviceOrDefault());
    try (NDManager manager = NDManager.newBaseManager(device)) {
      LoadedModel model = new CheckpointStore(factory).load(properties.model(), manager);
      if (model.card().isClassifier()) {
        throw new IllegalArgumentException(properties.model() + " holds a classifier, not a score model");
      }
      var settings = properties.samplerSettings(model.card().sde().toSde().kind());
      LOG.info("generate: model {} ({}), shard {} of {} = samples [{}, {}) of {}, batches of {}, {} on {}",
          model.card().name(), model.folder(), plan.shard(), plan.shards(), plan.first(), plan.end(), plan.count(),
          plan.batchSize(), settings, device);
      new ShardGenerator(model, settings).generate(plan, properties.seedOrDefault(), properties.classLabel(),
          properties.output());
    } catch (IOException e) {
      throw new UncheckedIOException("generate failed: " + e.getMessage(), e);
    }
  }

  static Device device(String name) {
    Device d = Device.fromName(name);
    if (d.isGpu() && d.getDeviceId() >= Engine.getInstance().getGpuCount()) {
      throw new IllegalArgumentException("device " + name + " requested but the engine sees "
          + Engine.getInstance().getGpuCount() + " GPU(s)");
    }
    return d;
  }
}
