package dev.scoresde;

import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.nn.Presets;
import dev.scoresde.train.job.NetworkPresets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Connects the training job and the checkpoint loader to the nn package's networks and presets. */
@Configuration(proxyBeanMethods = false)
class ModelWiring {

  @Bean
  @ConditionalOnMissingBean
  NetworkFactory networkFactory() {
    return NetworkFactory.NETWORKS;
  }

  @Bean
  @ConditionalOnMissingBean
  NetworkPresets networkPresets() {
    return Presets::get;
  }
}
