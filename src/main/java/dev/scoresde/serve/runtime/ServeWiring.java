package dev.scoresde.serve.runtime;

import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.serve.ServeProperties;
import dev.scoresde.serve.model.ModelRegistry;
import dev.scoresde.serve.model.ModelsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The inference core's beans, for the web server only (the train and report profiles run without them). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ServeWiring {

  @Bean(destroyMethod = "close")
  ModelRegistry modelRegistry(ModelsProperties models, NetworkFactory factory) {
    return new ModelRegistry(models, new CheckpointStore(factory));
  }

  @Bean(destroyMethod = "close")
  InferenceService inferenceService(ModelRegistry registry, ServeProperties props, MeterRegistry meters) {
    return new InferenceService(registry, props, new ServeMetrics(meters));
  }

  /** Jobs in this process unless {@code score-sde.jobs.store=redis} (serve.runtime.redis wires that store). */
  @Bean
  @ConditionalOnProperty(name = "score-sde.jobs.store", havingValue = "memory", matchIfMissing = true)
  JobStore memoryJobStore(InferenceService inference, ServeProperties props) {
    return new MemoryJobStore(inference, props, Clock.systemUTC());
  }

  /** On shutdown, fails the tasks before the web server stops answering (InferenceShutdown). */
  @Bean
  InferenceShutdown inferenceShutdown(InferenceService inference, ApplicationContext context) {
    return new InferenceShutdown(inference, context);
  }
}
