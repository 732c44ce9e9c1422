package dev.scoresde;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Networks;
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
    return new NetworkFactory() {
      @Override
      public Block create(NetworkSpec spec) {
        return Networks.create(spec);
      }

      @Override
      public void initialize(Block block, NetworkSpec spec, NDManager manager, long seed) {
        Networks.initialize(block, spec, manager, seed);
      }
    };
  }

  @Bean
  @ConditionalOnMissingBean
  NetworkPresets networkPresets() {
    return Presets::get;
  }
}
