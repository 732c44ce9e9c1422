package dev.scoresde.train;

import dev.scoresde.image.ImageGrid;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.scoresde.checkpoint.CheckpointLayout;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.checkpoint.TrainingState;
import dev.scoresde.nn.Architecture;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;
import dev.scoresde.data.Seeds;
import dev.scoresde.data.TrainingData;
import dev.scoresde.train.loss.TrainingLoss;
import dev.scoresde.optim.Adam;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop (paper Appendix H). One step: a sub-manager scope; the batch of (seed, step); one
 * GradientCollector around forward and loss; backward; clipping and Adam; the EMA update. With several
 * devices the batch is split across them ({@link DataParallel}) and the gradients summed before Adam. Every random
 * draw of step k derives from (seed, k), so a run resumed from its checkpoint at step k continues exactly
 * as the uninterrupted run would have. Checkpoints every M steps and at the end; sample grids of the EMA
 * weights every K steps.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final TrainingJob job;
  private final TrainingData data;
  private final NetworkFactory factory;
  private final MeterRegistry registry;
  private final GridSampler sampler;
  private final TrainingListener listener;
  private final List<Device> devices;

  /** What a finished run reports. */
  public record Result(long steps, double finalLoss, Path checkpoint, List<TrainingState.LossPoint> history) {}

  /**
   * @param sampler draws sample grids, or null for none (classifiers never get grids)
   * @param listener called after every step, or null
   */
  public Trainer(TrainingJob job, TrainingData data, NetworkFactory factory, MeterRegistry registry,
      GridSampler sampler, TrainingListener listener) {
    this(job, data, factory, registry, sampler, listener, List.of());
  }

  /**
   * @param devices the devices a step's batch is split across, master first (see {@link DataParallel});
   *     empty for the engine's default device
   */
  public Trainer(TrainingJob job, TrainingData data, NetworkFactory factory, MeterRegistry registry,
      GridSampler sampler, TrainingListener listener, List<Device> devices) {
    this.devices = List.copyOf(devices);
    this.job = job;
    this.data = data;
    this.factory = factory;
    this.registry = registry;
    this.sampler = sampler;
    this.listener = listener == null ? TrainingListener.NONE : listener;
  }

  public Result run() throws IOException {
    TrainerSettings s = job.settings();
    Path dir = job.checkpointDir();
    Optional<Path> latest = CheckpointLayout.latest(dir);
    if (latest.isPresent() && !job.resume()) {
      throw new CheckpointConflictException("checkpoint folder " + dir + " already holds " + latest.get().getFileName()
          + "; set resume: true to continue that run, or choose an empty folder");
    }
    Optional<Path> export = CheckpointLayout.latestServable(dir);
    if (latest.isEmpty() && export.isPresent()) {
      // A serving export has no parameters or optimizer state: starting over beside it would silently discard it.
      throw new CheckpointConflictException("checkpoint folder " + dir + " holds only the serving export "
          + export.get().getFileName() + " (" + CheckpointLayout.MODEL_CARD + " + " + CheckpointLayout.EMA
          + ", no optimizer state), which cannot be resumed; point checkpoint.folder at the run's full checkpoints "
          + "or at an empty folder");
    }
    CheckpointWriter writer = new CheckpointWriter(dir, s.keepCheckpoints());
    TrainingProgress progress = new TrainingProgress(registry, s.steps(), s.batchSize(), s.logInterval());
    TrainingLoss loss = job.loss().build();
    List<Device> on = devices.isEmpty() ? List.of(Engine.getInstance().defaultDevice()) : devices;
    try (NDManager manager = NDManager.newBaseManager(on.get(0))) {
      ModelState state = new ModelState(job, factory, manager);
      long start = 0;
      double priorWallTime = 0;
      if (latest.isPresent()) {
        TrainingState saved = state.restore(latest.get(), card(0, 0, Double.NaN));
        start = saved.step();
        priorWallTime = saved.wallTimeSeconds();
        progress.restore(saved.lossHistory(), saved.pendingLossSum(), saved.pendingLossCount());
        LOG.info("resuming {} from {} (step {} of {})", job.name(), latest.get(), start, s.steps());
      } else {
        LOG.info("training {}: {} parameters, {} steps of {} from {}", job.name(), state.live.count(), s.steps(),
            s.batchSize(), data.description());
      }
      DataParallel parallel = new DataParallel(on, state.trainable(), manager);
      if (on.size() > 1) {
        LOG.info("data parallel over {}: each batch of {} split into {} slices", on, s.batchSize(), on.size());
      }
      long sessionStart = System.nanoTime();
      Path last = latest.orElse(null);
      for (long step = start; step < s.steps(); step++) {
        double value;
        Adam.Update update;
        try (NDManager scope = manager.newSubManager()) {
          // the engine's own generator (dropout) is reseeded from (seed, step) as well
          Engine.getInstance().setRandomSeed((int) Seeds.derive(s.seed(), step, Seeds.DROPOUT));
          Batch batch = data.batch(step, s.batchSize(), scope);
          Rng rng = Rng.of(Seeds.derive(s.seed(), step, Seeds.NOISE), s.batchSize());
          // the JVM's only gradient collector, shared with guidance and likelihood through one lock
          value = Autograd.withGradient(gc -> parallel.forwardBackward(gc, loss, batch, rng, scope));
          if (!Double.isFinite(value)) {
            throw new IllegalStateException("the loss became " + value + " at step " + (step + 1)
                + (last == null ? "" : "; the last good checkpoint is " + last)
                + " (lower the learning rate or check the data range)");
          }
          parallel.reduceGradients(scope);
          update = state.adam.update(scope);
          parallel.broadcast();
          state.ema.update();
        }
        long done = step + 1;
        progress.record(done, value, update);
        listener.afterStep(done, value);
        if (done % s.checkpointInterval() == 0 || done == s.steps()) {
          double wall = priorWallTime + (System.nanoTime() - sessionStart) / 1e9;
          TrainingState ts = new TrainingState(done, s.seed(), progress.history(), progress.pendingSum(),
              progress.pendingCount(), wall);
          last = writer.write(state.checkpoint(card(done, wall, progress.lastLoss()), ts));
          LOG.info("checkpoint {}", last);
        }
        if (sampler != null && s.sampleInterval() > 0 && done % s.sampleInterval() == 0
            && job.network().architecture() != Architecture.CLASSIFIER) {
          sampleGrid(state, manager, done);
        }
      }
      return new Result(s.steps(), progress.lastLoss(), last, progress.history());
    }
  }

  private void sampleGrid(ModelState state, NDManager manager, long step) {
    TrainerSettings s = job.settings();
    Path png = job.checkpointDir().resolve("samples").resolve(CheckpointLayout.stepName(step) + ".png");
    long t0 = System.nanoTime();
    try (NDManager scope = manager.newSubManager()) {
      int n = s.gridRows() * s.gridCols();
      NDArray x = sampler.sample(state.emaScoreModel(), data.shape(), n, Seeds.derive(s.seed(), 0, Seeds.GRID),
          scope);
      ImageGrid.write(x, data.shape(), data.range(), s.gridRows(), s.gridCols(), png);
      LOG.info("sample grid {} ({} s)", png, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    } catch (IOException | RuntimeException e) {
      LOG.warn("sample grid at step {} failed: {}", step, e.toString());
    }
  }

  private ModelCard card(long steps, double wallTime, double finalLoss) {
    List<String> classNames = job.network().numClasses() > 0 ? data.classNames() : List.of();
    Provenance p = new Provenance(data.description(), describeObjective(), steps, job.settings().batchSize(),
        wallTime, finalLoss, Instant.now().toString());
    return new ModelCard(ModelCard.FORMAT_VERSION, job.name(), SdeSpec.of(job.sde()), job.network(), data.shape(),
        data.range(), classNames, job.emaRate(), p);
  }

  private String describeObjective() {
    var l = job.loss();
    StringBuilder b = new StringBuilder(l.kind().id());
    b.append(" (").append(l.reduction().name().toLowerCase(java.util.Locale.ROOT));
    if (l.likelihoodWeighting()) {
      b.append(", likelihood weighting");
    }
    if (l.labelDropout() > 0) {
      b.append(", label dropout ").append(l.labelDropout());
    }
    return b.append(')').toString();
  }
}
