package dev.scoresde.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.scoresde.checkpoint.ArchitectureMismatchException;
import dev.scoresde.checkpoint.Checkpoint;
import dev.scoresde.checkpoint.CheckpointLayout;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.checkpoint.SdeSpec;
import dev.scoresde.checkpoint.TrainingState;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.data.Seeds;
import dev.scoresde.train.loss.TrainableNetwork;
import dev.scoresde.optim.Adam;
import dev.scoresde.optim.Ema;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The arrays of a run, all in one long-lived manager: the trained network, a second network of the same
 * architecture holding the EMA weights (what is served and sampled), and Adam's moments.
 */
final class ModelState {
  private static final long INIT = 7;

  final Block network;
  final Block averaged;
  final NamedParameters live;
  final Adam adam;
  final Ema ema;
  private final TrainingJob job;
  private final NDManager manager;

  ModelState(TrainingJob job, NetworkFactory factory, NDManager manager) {
    this.job = job;
    this.manager = manager;
    long initSeed = Seeds.derive(job.settings().seed(), 0, INIT);
    network = factory.create(job.network());
    factory.initialize(network, job.network(), manager, initSeed);
    averaged = factory.create(job.network());
    factory.initialize(averaged, job.network(), manager, initSeed);
    live = NamedParameters.of(network);
    adam = new Adam(job.adam(), live, manager);
    ema = new Ema(job.emaRate(), job.emaWarmup(), live, NamedParameters.of(averaged));
    ema.reset();
  }

  TrainableNetwork trainable() {
    return new TrainableNetwork(network, job.network(), job.sde(), new ParameterStore(manager, false));
  }

  NetworkScoreModel emaScoreModel() {
    return NetworkScoreModel.inference(averaged, job.network(), job.sde(), new ParameterStore(manager, false));
  }

  Checkpoint checkpoint(ModelCard card, TrainingState state) {
    return new Checkpoint(card, ema.shadow().toNamedList(""), live.toNamedList(""), adam.state(), state);
  }

  /**
   * Restores weights, EMA and optimizer from a checkpoint folder after checking it was made for this
   * job's network, SDE and seed.
   */
  TrainingState restore(Path folder, ModelCard expected) throws IOException {
    ModelCard card = CheckpointStore.readCard(folder);
    ArchitectureMismatchException.check(folder, "network", card.network(), job.network());
    ArchitectureMismatchException.check(folder, "SDE", card.sde(), SdeSpec.of(job.sde()));
    ArchitectureMismatchException.check(folder, "data shape", card.data(), expected.data());
    TrainingState state = CheckpointStore.readState(folder);
    if (state.seed() != job.settings().seed()) {
      throw new ArchitectureMismatchException("checkpoint " + folder + " belongs to a run with seed " + state.seed()
          + " but the job configures seed " + job.settings().seed()
          + "; resuming needs the same seed to continue the same data order and noise");
    }
    try (NDManager scratch = manager.newSubManager()) {
      live.copyFrom(CheckpointStore.readArrays(folder.resolve(CheckpointLayout.PARAMS), scratch), "",
          "weights of " + folder);
      ema.shadow().copyFrom(CheckpointStore.readArrays(folder.resolve(CheckpointLayout.EMA), scratch), "",
          "EMA weights of " + folder);
      NDList moments = CheckpointStore.readArrays(folder.resolve(CheckpointLayout.OPTIMIZER), scratch);
      adam.load(moments, state.step(), "optimizer state of " + folder);
    }
    ema.setUpdates(state.step());
    return state;
  }
}
