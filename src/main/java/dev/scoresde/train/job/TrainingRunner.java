package dev.scoresde.train.job;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.scoresde.checkpoint.ArchitectureMismatchException;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.train.CheckpointConflictException;
import dev.scoresde.train.GridSampler;
import dev.scoresde.train.Trainer;
import dev.scoresde.data.TrainingData;
import dev.scoresde.train.job.TrainingJobException.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The {@code train} profile's job: validates the configuration, loads the data, builds the network through
 * the application's {@link NetworkFactory} and runs the {@link Trainer}. Failures surface as
 * {@link TrainingJobException}s whose exit code and message {@link TrainingFailureAnalyzer} reports.
 */
@Component
@Profile("train")
class TrainingRunner implements ApplicationRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRunner.class);

  private final TrainingProperties properties;
  private final ObjectProvider<NetworkFactory> factory;
  private final ObjectProvider<NetworkPresets> presets;
  private final ObjectProvider<GridSampler> sampler;
  private final ObjectProvider<MeterRegistry> registry;

  TrainingRunner(TrainingProperties properties, ObjectProvider<NetworkFactory> factory,
      ObjectProvider<NetworkPresets> presets, ObjectProvider<GridSampler> sampler,
      ObjectProvider<MeterRegistry> registry) {
    this.properties = properties;
    this.factory = factory;
    this.presets = presets;
    this.sampler = sampler;
    this.registry = registry;
  }

  private List<Device> devices() {
    try {
      return TrainingDevices.resolve(properties.devices(), List.of(Engine.getInstance().getDevices()));
    } catch (IllegalArgumentException e) {
      throw new TrainingJobException(Kind.CONFIG, "invalid training job:\n  - score-sde.train.devices: " + e.getMessage());
    }
  }

  @Override
  public void run(ApplicationArguments args) {
    NetworkPresets named = presets.getIfAvailable(() -> name -> {
      throw new IllegalArgumentException("no network presets are available in this build; give architecture, nf, ...");
    });
    TrainingJobFactory jobs = new TrainingJobFactory(named::preset);
    TrainingJobFactory.Plan plan = jobs.plan(properties);
    List<Device> devices = devices();
    TrainingData data = jobs.load(plan);
    NetworkFactory networks = factory.getIfAvailable();
    if (networks == null) {
      throw new TrainingJobException(Kind.FAILED, "no NetworkFactory bean: this build has no network implementations");
    }
    try {
      Trainer.Result r = new Trainer(plan.job(), data, networks, registry.getIfAvailable(SimpleMeterRegistry::new),
          sampler.getIfAvailable(), null, devices).run();
      LOG.info("training {} finished: {} steps, final loss {}, model at {}", plan.job().name(), r.steps(),
          r.finalLoss(), r.checkpoint());
    } catch (ArchitectureMismatchException | CheckpointConflictException e) {
      throw new TrainingJobException(Kind.CHECKPOINT, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new TrainingJobException(Kind.FAILED, "training " + plan.job().name() + " failed: " + e.getMessage(), e);
    }
  }
}
