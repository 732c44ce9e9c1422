package dev.scoresde.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.scoresde.checkpoint.CheckpointStore;
import dev.scoresde.checkpoint.LoadedModel;
import dev.scoresde.checkpoint.NamedParameters;
import dev.scoresde.checkpoint.NetworkFactory;
import dev.scoresde.sampling.SamplingContext;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.score.NetworkScoreModel;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Autograd;
import dev.scoresde.tensor.Rng;
import dev.scoresde.data.Batch;
import dev.scoresde.train.loss.DenoisingScoreMatching;
import dev.scoresde.train.loss.Reduction;
import dev.scoresde.train.loss.TrainableNetwork;
import dev.scoresde.optim.Adam;
import dev.scoresde.optim.AdamSettings;
import dev.scoresde.optim.Ema;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java half of {@link TorchComparisonBench}: the served score model ({@link LoadedModel#scoreModel()},
 * frozen EMA weights), the project's training step on a second copy of the network (the {@code Trainer}'s step:
 * DSM loss under the JVM's one gradient collector, backward, Adam with the reference's warm-up and clipping, the
 * EMA update into a third copy), the DPM-Solver++(2M) sampler, and bare convolutions.
 */
final class JavaSide implements AutoCloseable {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One convolution shape of the network: input (C, H, W), weight (out, in, k, k), padding, times per pass. */
  record ConvShape(long[] inChw, long[] weight, int padding, int count) {
    double flops(int batch) {
      long out = weight[0];
      long hw = (inChw[1] + 2L * padding - weight[2] + 1) * (inChw[2] + 2L * padding - weight[3] + 1);
      return 2.0 * batch * out * weight[1] * weight[2] * weight[3] * hw;
    }
  }

  private final NDManager manager;
  private final LoadedModel served;
  private final NetworkScoreModel score;
  private final Sde sde;
  private final NDArray x; // (B, C, H, W) inputs of the forward rows
  private final NDArray t; // (B)
  private final NDArray x0; // (B, C, H, W) training data in the model's range
  private final NDManager trainManager;
  private TrainableNetwork trainable;
  private Adam adam;
  private Ema ema;
  private long trainSteps;

  JavaSide(Path model, NDArray x, NDArray t, NDArray x0, NDManager manager) throws IOException {
    this.manager = manager;
    this.x = x;
    this.t = t;
    this.x0 = x0;
    served = new CheckpointStore(NetworkFactory.NETWORKS).load(model, manager);
    score = served.scoreModel();
    sde = score.sde();
    trainManager = manager.newSubManager();
  }

  LoadedModel served() {
    return served;
  }

  NetworkScoreModel score() {
    return score;
  }

  /** The score s(x, t) of the first {@code batch} rows, {@code reps} calls, each in its own memory scope. */
  Timing forward(int batch, int reps) {
    try (NDManager row = manager.newSubManager()) {
      NDArray xb = x.get("0:" + batch);
      NDArray tb = t.get("0:" + batch);
      xb.attach(row);
      tb.attach(row);
      return timedRunnable(reps, () -> {
        try (NDManager scope = row.newSubManager()) {
          xb.tempAttach(scope); // everything computed from the inputs lives in the call's scope
          tb.tempAttach(scope);
          score.score(xb, tb);
        }
      });
    }
  }

  /** The score of the first batch rows, once, as floats (the parity check against PyTorch's). */
  float[] scores(int batch) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray xb = x.get("0:" + batch);
      NDArray tb = t.get("0:" + batch);
      xb.attach(scope);
      tb.attach(scope);
      return score.score(xb, tb).toFloatArray();
    }
  }

  /**
   * The given convolutions run bare (no bias), each once per rep, forward only or forward
   * and backward (input and weight gradients, seeded with ones as PyTorch's {@code y.backward(ones_like(y))}).
   * Returns the total time per rep; {@code perShape} receives each shape's times.
   */
  Timing conv(int batch, boolean backward, List<ConvShape> shapes, int reps, List<Timing> perShape) {
    try (NDManager inputs = manager.newSubManager()) {
      List<NDArray[]> arrays = new ArrayList<>();
      for (ConvShape s : shapes) { // content does not matter for the timing
        arrays.add(new NDArray[] {inputs.randomNormal(new Shape(batch, s.inChw()[0], s.inChw()[1], s.inChw()[2])),
            inputs.randomNormal(new Shape(s.weight()))});
      }
      for (int i = 0; i < shapes.size(); i++) {
        perShape.add(new Timing());
      }
      return timedRunnable(reps, () -> convPass(shapes, arrays, backward, perShape));
    }
  }

  private void convPass(List<ConvShape> shapes, List<NDArray[]> arrays, boolean backward, List<Timing> sink) {
    for (int i = 0; i < shapes.size(); i++) {
      NDArray[] a = arrays.get(i);
      Shape pad = new Shape(shapes.get(i).padding(), shapes.get(i).padding());
      long w0 = System.nanoTime();
      long c0 = OS.getProcessCpuTime();
      try (NDManager scope = manager.newSubManager()) {
        if (backward) {
          Autograd.withGradient(gc -> {
            NDArray xg = a[0].duplicate();
            NDArray wg = a[1].duplicate();
            xg.attach(scope);
            wg.attach(scope);
            xg.setRequiresGradient(true);
            wg.setRequiresGradient(true);
            gc.backward(Conv2d.conv2d(xg, wg, null, new Shape(1, 1), pad).singletonOrThrow());
            return null;
          });
        } else {
          Conv2d.conv2d(a[0], a[1], null, new Shape(1, 1), pad).singletonOrThrow().attach(scope);
        }
      }
      sink.get(i).add((System.nanoTime() - w0) / 1e9, (OS.getProcessCpuTime() - c0) / 1e9);
    }
  }

  /**
   * One training step per rep at {@code batch}, as {@code Trainer} takes it on one device: DSM (Eq. 7, λ = σ²,
   * half the sum over pixels, as the reference's reduce_mean = False), t ~ U(1e-5, 1), the network in training mode
   * (dropout on), backward in the JVM's one gradient collector, Adam (lr 2e-4, warm-up 5000, clipping at 1), the
   * EMA update (0.999 with the reference's warm-up).
   */
  Timing train(int batch, int reps) throws IOException {
    if (trainable == null) {
      LoadedModel live = new CheckpointStore(NetworkFactory.NETWORKS).load(served.folder(), trainManager);
      LoadedModel averaged = new CheckpointStore(NetworkFactory.NETWORKS).load(served.folder(), trainManager);
      trainable = new TrainableNetwork(live.network(), live.card().network(), sde, new ParameterStore(trainManager,
          false));
      NamedParameters params = NamedParameters.of(live.network());
      adam = new Adam(new AdamSettings(2e-4, 0.9, 0.999, 1e-8, 5000, 1.0), params, trainManager);
      ema = new Ema(0.999, true, params, NamedParameters.of(averaged.network()));
      ema.reset();
    }
    DenoisingScoreMatching loss = new DenoisingScoreMatching(Reduction.SUM, false, 1e-5, 0);
    return timedRunnable(reps, () -> {
      try (NDManager scope = trainManager.newSubManager()) {
        long step = trainSteps++;
        Engine.getInstance().setRandomSeed((int) step);
        NDArray data = x0.get("0:" + batch);
        data.attach(scope); // the loss's draws and the graph live in the step's scope
        Batch b = new Batch(data, null);
        Rng rng = Rng.of(1000 + step, batch);
        double value = Autograd.withGradient(gc -> {
          NDArray l = loss.loss(trainable, b, rng);
          gc.backward(l);
          return (double) l.getFloat();
        });
        if (!Double.isFinite(value)) {
          throw new IllegalStateException("training loss " + value);
        }
        adam.update(scope);
        ema.update();
      }
    });
  }

  /** The 20-step DPM-Solver++(2M) sample from {@code xT}, reps times; the last result's samples. */
  Timing sample(DpmSolverPlusPlus sampler, NDArray xT, long seed, int reps, float[][] last) {
    return timedRunnable(reps, () -> {
      try (NDManager scope = manager.newSubManager()) {
        NDArray start = xT.duplicate();
        start.attach(scope);
        int n = Math.toIntExact(xT.getShape().get(0));
        last[0] = sampler.sample(score, sde, start, SamplingContext.of(Rng.of(seed, n))).samples().toFloatArray();
      }
    });
  }

  /** One profiled forward ("forward") or training step ("train") at batch, as a Chrome trace at {@code out}. */
  void profile(String what, int batch, Path out) throws IOException {
    Runnable body = what.equals("train") ? () -> rethrow(() -> train(batch, 1)) : () -> forward(batch, 1);
    body.run();
    JniUtils.startProfile(false, true, false);
    body.run();
    JniUtils.stopProfile(out.toString());
  }

  private static Timing timedRunnable(int reps, Runnable body) {
    Timing timing = new Timing();
    for (int r = 0; r < reps; r++) {
      long w0 = System.nanoTime();
      long c0 = OS.getProcessCpuTime();
      body.run();
      timing.add((System.nanoTime() - w0) / 1e9, (OS.getProcessCpuTime() - c0) / 1e9);
    }
    return timing;
  }

  private interface IoAction {
    Object run() throws IOException;
  }

  private static void rethrow(IoAction a) {
    try {
      a.run();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    trainManager.close();
  }
}
