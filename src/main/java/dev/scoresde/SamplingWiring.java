package dev.scoresde;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.settings.Endpoints;
import dev.scoresde.sampling.settings.ProbabilityFlowSettings;
import dev.scoresde.sampling.settings.SamplerSettings;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.score.ScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Rng;
import dev.scoresde.train.GridSampler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The training job's sample grids: the probability-flow ODE at tolerance 1e-3 (tens of network
 * evaluations instead of the paper's 1000 steps); for a class-conditional network, row r shows class r mod K.
 */
@Configuration(proxyBeanMethods = false)
class SamplingWiring {

  @Bean
  GridSampler gridSampler() {
    return (model, shape, count, seed, manager) -> {
      Sde sde = model.sde();
      SamplerSettings settings = new ProbabilityFlowSettings(1e-3, 1e-3,
          Endpoints.paper(sde.kind()).withDenoising(Denoising.NONE));
      Rng rng = Rng.of(seed, count);
      NDArray xT = settings.drawPrior(sde, manager,
          new Shape(count, shape.channels(), shape.size(), shape.size()), rng);
      ScoreModel score = labelled(model, count, manager);
      return settings.toSampler().sample(score, sde, xT, SamplingContext.of(rng)).samples();
    };
  }

  private static ScoreModel labelled(NetworkScoreModel model, int count, ai.djl.ndarray.NDManager manager) {
    int k = model.spec().numClasses();
    if (k == 0) {
      return model;
    }
    int cols = (int) Math.ceil(Math.sqrt(count));
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (i / cols) % k;
    }
    return model.withLabels(manager.create(labels));
  }
}
