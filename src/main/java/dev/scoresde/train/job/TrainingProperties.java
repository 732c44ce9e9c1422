package dev.scoresde.train.job;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A training job, bound from {@code score-sde.train.*} (a job file passed with
 * {@code --spring.config.additional-location=job.yml}). Every field may be omitted where a default is
 * documented; {@link TrainingJobFactory} validates the whole and reports every problem at once.
 *
 * @param name the model's name (default: the checkpoint folder's name)
 * @param data what to train on
 * @param sde the forward SDE
 * @param network preset and/or explicit architecture fields
 * @param classConditional feed class labels to the score network (labelled data only; default false)
 * @param loss the objective
 * @param optim Adam and its schedule
 * @param ema the averaged weights
 * @param batchSize examples per step (default 64)
 * @param steps total steps
 * @param seed the run's seed (default 0)
 * @param checkpoint where and how often to save
 * @param sampleGrid periodic sample grids of the EMA weights
 * @param logInterval steps between progress lines (default 100)
 * @param devices where to train: auto (default: every GPU the engine sees, else the CPU), cpu, or a list such as
 *     gpu0,gpu1; with several devices each batch is split across them (data parallel, same effective batch)
 */
@ConfigurationProperties(prefix = "score-sde.train")
public record TrainingProperties(String name, Data data, Sde sde, Network network, Boolean classConditional,
    Loss loss, Optim optim, Ema ema, Integer batchSize, Long steps, Long seed, Checkpoint checkpoint,
    SampleGrid sampleGrid, Integer logInterval, String devices) {

  /**
   * @param kind fashion-mnist, image-folder or gaussian-mixture
   * @param path the IDX folder (default /usr/share/datasets/fashion-mnist) or an image folder / glob
   * @param split fashion-mnist split: train (default) or t10k
   * @param padTo zero-pad fashion-mnist's 28×28 to this size (default 32)
   * @param imageSize image-folder crop size (default 32)
   * @param resize image-folder short side after resizing, 0 for none (default 64)
   * @param valueRange [min, max] of the data values (default [-1, 1])
   * @param components gaussian-mixture: Gaussians on a circle (default 8)
   * @param radius gaussian-mixture: circle radius (default 2)
   * @param std gaussian-mixture: component std (default 0.1)
   */
  public record Data(String kind, String path, String split, Integer padTo, Integer imageSize, Integer resize,
      List<Double> valueRange, Integer components, Double radius, Double std) {}

  /**
   * @param kind ve, vp or subvp
   * @param sigmaMin VE σ_min (default 0.01)
   * @param sigmaMax VE σ_max (default 50)
   * @param betaMin VP/sub-VP β_min (default 0.1)
   * @param betaMax VP/sub-VP β_max (default 20)
   * @param steps N (default 1000)
   */
  public record Sde(String kind, Double sigmaMin, Double sigmaMax, Double betaMin, Double betaMax, Integer steps) {}

  /**
   * A preset by name, with any field overridden. Channels, image size and class count come from the data.
   */
  public record Network(String preset, String architecture, Integer nf, List<Integer> chMult, Integer numResBlocks,
      List<Integer> attnResolutions, Double dropout, Boolean fir, Boolean skipRescale, String progressive,
      String progressiveInput, String embedding, Double fourierScale) {}

  /**
   * @param kind dsm (default), smld, ddpm, ssm or classifier
   * @param reduction mean or sum (default sum, as the reference's reduce_mean = False)
   * @param likelihoodWeighting λ(t) = g(t)² (dsm and ssm; default false)
   * @param eps smallest training time (default 1e-5)
   * @param labelDropout probability of "no label" for class-conditional training (default 0)
   * @param ssmRelativeStep finite-difference step of ssm relative to σ(t) (default 0.01)
   */
  public record Loss(String kind, String reduction, Boolean likelihoodWeighting, Double eps, Double labelDropout,
      Double ssmRelativeStep) {}

  /** Adam: lr (2e-4), beta1 (0.9), beta2 (0.999), eps (1e-8), warmup steps (5000), grad-clip (1; ≤ 0 disables). */
  public record Optim(Double lr, Double beta1, Double beta2, Double eps, Long warmup, Double gradClip) {}

  /** EMA rate (0.999) and the reference's decay warm-up (true). */
  public record Ema(Double rate, Boolean warmup) {}

  /**
   * @param folder the run folder
   * @param interval steps between checkpoints (default 1000)
   * @param keep newest checkpoints kept (default 2)
   * @param resume continue from the folder's newest checkpoint; default: true when it has one
   */
  public record Checkpoint(String folder, Integer interval, Integer keep, Boolean resume) {}

  /** Interval in steps (default 0: never), rows (8) and columns (8). */
  public record SampleGrid(Integer interval, Integer rows, Integer cols) {}
}
