package dev.scoresde.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.scoresde.checkpoint.ArchitectureMismatchException;
import dev.scoresde.checkpoint.Checkpoint;
import dev.scoresde.checkpoint.CheckpointLayout;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.CheckpointWriter;
import dev.scoresde.checkpoint.ModelCard;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.Provenance;
import dev.scoresde.checkpoint.TrainingState;
import dev.scoresde.nn.NetworkSpec;
import dev.scoresde.nn.Networks;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.data.Batch;
import dev.scoresde.data.ImageArrayData;
import dev.scoresde.optim.Adam;
import dev.scoresde.optim.AdamSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the evaluation's feature-cnn with cross-entropy on clean Fashion-MNIST images in [0, 1] and
 * writes it as a model folder. Deterministic: the weights come from {@code seed} through
 * {@link Networks#initialize}, the batches from the data's seeded epoch order; no dropout, no engine RNG.
 * The learning rate warms up linearly, stays constant, and drops 10× for the last {@code decayFraction}
 * of the steps (a fresh Adam schedule that keeps the moments).
 *
 * @param spec a feature-cnn spec
 * @param batchSize images per step
 * @param steps total steps
 * @param adam optimiser settings of the first phase (warm-up, clipping)
 * @param decayFraction fraction of steps at lr/10, in [0, 1)
 * @param seed weights' seed (the data's order has its own seed)
 */
public record EvalCnnTraining(NetworkSpec spec, int batchSize, long steps, AdamSettings adam, double decayFraction,
    long seed) {

  public EvalCnnTraining {
    if (batchSize < 1 || steps < 1 || !(decayFraction >= 0 && decayFraction < 1)) {
      throw new IllegalArgumentException("batch size and steps must be positive, decay fraction in [0, 1)");
    }
  }

  /** What the run did. */
  public record Result(Path folder, double finalLoss, double testAccuracy, double seconds, long parameters) {}

  /**
   * Trains on {@code train}, measures the accuracy on all of {@code test}, writes the model into {@code runDir}
   * (a CheckpointWriter run folder; CheckpointStore loads its newest step) and logs progress to {@code log}.
   */
  public Result run(ImageArrayData train, ImageArrayData test, Path runDir, PrintStream log) throws IOException {
    return run(train, test, runDir, null, log);
  }

  /**
   * Like {@link #run(ImageArrayData, ImageArrayData, Path, PrintStream)}, but when {@code init} is a model folder
   * of this spec, continues from its weights and step count: the batches continue the data's epoch order from
   * that step, with a fresh optimizer (the folder keeps no moments), and the new folder counts all steps.
   */
  public Result run(ImageArrayData train, ImageArrayData test, Path runDir, Path init, PrintStream log)
      throws IOException {
    long t0 = System.nanoTime();
    try (NDManager manager = NDManager.newBaseManager()) {
      Block network = Networks.create(spec);
      Networks.initialize(network, spec, manager, seed);
      NamedParameters params = NamedParameters.of(network);
      long offset = 0;
      double priorSeconds = 0;
      if (init != null) {
        Path folder = CheckpointLayout.resolveModel(init);
        ArchitectureMismatchException.check(folder, "network", CheckpointStore.readCard(folder).network(), spec);
        try (NDManager scratch = manager.newSubManager()) {
          params.copyFrom(CheckpointStore.readArrays(folder.resolve(CheckpointLayout.EMA), scratch), "",
              "weights of " + folder);
        }
        TrainingState before = CheckpointStore.readState(folder);
        offset = before.step();
        priorSeconds = before.wallTimeSeconds();
        log.printf("eval-cnn continues from %s (step %d)%n", folder, offset);
      }
      ParameterStore ps = new ParameterStore(manager, false);
      Adam optimizer = new Adam(adam, params, manager);
      long decayAt = steps - Math.round(steps * decayFraction);
      List<TrainingState.LossPoint> history = new ArrayList<>();
      double sum = 0;
      int count = 0;
      double last = Double.NaN;
      int logEvery = (int) Math.max(1, Math.min(200, steps / 10));
      for (long step = 0; step < steps; step++) {
        if (step == decayAt && step > 0) {
          optimizer = decayed(optimizer, params, manager);
        }
        try (NDManager scope = manager.newSubManager()) {
          Batch batch = train.batch(offset + step, batchSize, scope);
          NDArray loss = Autograd.withGradient(gc -> {
            NDArray logits = network.forward(ps, new NDList(batch.x()), true).get(0);
            NDArray value = crossEntropy(logits, batch.labels());
            gc.backward(value);
            return value;
          });
          sum += loss.getFloat();
          count++;
          optimizer.update(scope);
        }
        if ((step + 1) % logEvery == 0 || step + 1 == steps) {
          last = sum / count;
          history.add(new TrainingState.LossPoint(offset + step + 1, last));
          log.printf("eval-cnn step %d/%d loss %.4f (%.0f s)%n", step + 1, steps, last, (System.nanoTime() - t0) / 1e9);
          sum = 0;
          count = 0;
        }
      }
      double accuracy = accuracy(EvalClassifier.of(network, spec, manager), test, manager);
      double seconds = priorSeconds + (System.nanoTime() - t0) / 1e9;
      log.printf("eval-cnn test accuracy %.4f on %d images after %d steps (%.0f s)%n", accuracy, test.count(), steps,
          seconds);
      Provenance provenance = new Provenance(train.description(),
          String.format("cross-entropy (clean images; test accuracy %.4f on %d)", accuracy, test.count()), offset + steps,
          batchSize, seconds, last, Instant.now().toString());
      ModelCard card = new ModelCard(ModelCard.FORMAT_VERSION, "fashion-mnist-eval-cnn", EvalClassifier.NO_SDE, spec,
          train.shape(), train.range(), train.classNames(), 0, provenance);
      // The served weights are the trained ones (no EMA); the optimizer state is not kept: the network is
      // retrained from scratch in minutes, so the folder need not be resumable and stays small.
      Checkpoint checkpoint = new Checkpoint(card, params.toNamedList(""), params.toNamedList(""), new NDList(),
          new TrainingState(offset + steps, seed, history, 0, 0, seconds));
      Path folder = new CheckpointWriter(runDir, 1).write(checkpoint);
      return new Result(folder, last, accuracy, seconds, params.count());
    }
  }

  /** Mean cross-entropy −log softmax(logits)[label]: logits (batch, classes), labels (batch) int32. */
  static NDArray crossEntropy(NDArray logits, NDArray labels) {
    int classes = Math.toIntExact(logits.getShape().get(1));
    return logits.logSoftmax(1).mul(labels.oneHot(classes)).sum(new int[] {1}).neg().mean();
  }

  /** The fraction of all of {@code data}'s images that {@code classifier} labels correctly. */
  public static double accuracy(EvalClassifier classifier, ImageArrayData data, NDManager manager) {
    int n = data.count();
    long correct = 0;
    try (NDManager scope = manager.newSubManager()) {
      Batch all = EvalSets.first(data, n, scope);
      for (int start = 0; start < n; start += 500) {
        Batch x = EvalSets.rows(all, start, Math.min(n, start + 500));
        int[] predicted = classifier.classify(x.x()).predicted();
        int[] labels = x.labels().toIntArray();
        for (int i = 0; i < labels.length; i++) {
          correct += predicted[i] == labels[i] ? 1 : 0;
        }
        x.x().close();
        x.labels().close();
      }
    }
    return (double) correct / n;
  }

  private Adam decayed(Adam current, NamedParameters params, NDManager manager) {
    AdamSettings low = new AdamSettings(adam.lr() / 10, adam.beta1(), adam.beta2(), adam.eps(), 0, adam.gradClip());
    Adam next = new Adam(low, params, manager);
    next.load(current.state(), current.step(), "eval-cnn optimizer");
    current.firstMoments().arrays().forEach(NDArray::close);
    current.secondMoments().arrays().forEach(NDArray::close);
    return next;
  }
}
