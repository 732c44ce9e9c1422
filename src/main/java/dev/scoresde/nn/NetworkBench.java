package dev.scoresde.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.scoresde.nn.reference.ReferenceConfig.EmbeddingType;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Throughput of the small network presets on this machine: for batch sizes 8, 32, 64, 128, forward and
 * forward+backward rows/s, parameter count, and achieved GFLOP/s (convolution and matmul FLOPs counted
 * analytically from shapes; backward counted as 2× forward) next to this machine's raw 3×3-conv and
 * 1024² matmul GFLOP/s measured in the same run. Not a test. Run from the worktree with:
 * <pre>
 * ./mvnw -q compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
 *   -cp target/classes:$(cat cp.txt) dev.scoresde.nn.NetworkBench [preset ...]
 * </pre>
 */
public final class NetworkBench {
  private static final List<String> SMALL = List.of("ddpmpp-small", "ncsnpp-small", "ddpmpp-rgb-small",
      "classifier-small", "mlp-small");
  private static final int[] BATCHES = {8, 32, 64, 128};
  private static final double SECONDS_PER_MEASUREMENT = 3;

  private NetworkBench() {}

  public static void main(String[] args) {
    List<String> presets = args.length > 0 ? Arrays.asList(args) : SMALL;
    try (NDManager manager = NDManager.newBaseManager()) {
      System.out.printf("machine: 3x3 conv 64->64 32x32 batch 64 forward %.1f GFLOP/s, 1024^2 matmul %.1f GFLOP/s%n",
          rawConvGflops(manager), rawMatmulGflops(manager));
      System.out.printf("load average %.1f on %d cores (other processes slow the wall-clock columns; the last column"
          + " is rows per 2 CPU-seconds of this process, i.e. the rate on 2 idle cores if both threads stay busy)%n",
          loadAverage(), Runtime.getRuntime().availableProcessors());
      System.out.printf("%-17s %8s %6s %5s %9s %9s %9s %9s %12s%n", "preset", "params", "MB", "batch",
          "fwd/s", "fwd GF/s", "f+b/s", "f+b GF/s", "f+b/2cpu-s");
      for (String name : presets) {
        NetworkSpec spec = Presets.get(name);
        Block net = Networks.create(spec);
        Networks.initialize(net, spec, manager, 0);
        long params = Networks.parameterCount(net);
        for (int batch : BATCHES) {
          try (NDManager scope = manager.newSubManager()) {
            NDList in = inputs(spec, scope, batch);
            ParameterStore ps = new ParameterStore(scope, false);
            long flops = Flops.count(() -> net.forward(ps, in, false).close());
            double fwd = perSecond(scope, in, s -> net.forward(ps, in, false).singletonOrThrow().sum().getFloat());
            double fwdBwd = perSecond(scope, in, s -> {
              try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = net.forward(ps, in, true).singletonOrThrow();
                gc.backward(y.square().mean());
              }
            });
            System.out.printf("%-17s %8d %6.2f %5d %9.1f %9.1f %9.1f %9.1f %12.1f%n", name, params, params * 4 / 1e6,
                batch, fwd * batch, fwd * flops / 1e9, fwdBwd * batch, fwdBwd * 3 * flops / 1e9,
                2 * batch / lastCpuSeconds);
          }
        }
        net.clear();
      }
      System.out.printf("load average at the end %.1f%n", loadAverage());
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** NDList(x, cond[, labels]) of plausible values: cond = 999t for positional, σ ∈ [0.01, 50] for Fourier. */
  static NDList inputs(NetworkSpec spec, NDManager m, int batch) {
    Shape[] shapes = Networks.inputShapes(spec, batch);
    Rng rng = Rng.of(1, batch);
    NDArray x = rng.normal(m, shapes[0]);
    NDArray u = rng.uniform(m, new Shape(batch));
    NDArray cond = spec.embedding() == EmbeddingType.FOURIER ? Scalars.mul(Scalars.mul(u, Math.log(5000)).exp(), 0.01f) : Scalars.mul(u, 999f);
    NDList in = new NDList(x, cond.toType(DataType.FLOAT32, false));
    if (shapes.length > 2) {
      in.add(Scalars.mul(u, spec.numClasses() + 1).floor().toType(DataType.INT32, false));
    }
    return in;
  }

  /**
   * Calls per second of {@code body} after one warm-up call; each call runs in its own sub-manager with
   * {@code inputs} temporarily attached to it, so its intermediates are freed after the call.
   * Also records the process CPU seconds per call in {@link #lastCpuSeconds}.
   */
  private static double perSecond(NDManager m, NDList inputs, Consumer<NDManager> body) {
    runScoped(m, inputs, body);
    int n = 0;
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    long elapsed;
    do {
      runScoped(m, inputs, body);
      n++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < SECONDS_PER_MEASUREMENT * 1e9 || n < 2);
    lastCpuSeconds = (processCpuNanos() - cpu0) / 1e9 / n;
    return n / (elapsed / 1e9);
  }

  private static double lastCpuSeconds;

  private static void runScoped(NDManager m, NDList inputs, Consumer<NDManager> body) {
    try (NDManager s = m.newSubManager()) {
      inputs.tempAttach(s);
      body.accept(s);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double rawConvGflops(NDManager m) {
    try (NDManager s = m.newSubManager()) {
      NDArray x = s.randomNormal(new Shape(64, 64, 32, 32));
      NDArray w = s.randomNormal(new Shape(64, 64, 3, 3));
      double rate = perSecond(s, new NDList(x), t -> Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1))
          .singletonOrThrow().sum().getFloat());
      return rate * 2.0 * 64 * 64 * 64 * 9 * 32 * 32 / 1e9;
    }
  }

  private static double rawMatmulGflops(NDManager m) {
    try (NDManager s = m.newSubManager()) {
      NDArray a = s.randomNormal(new Shape(1024, 1024));
      double rate = perSecond(s, new NDList(a), t -> a.matMul(a).sum().getFloat());
      return rate * 2.0 * 1024 * 1024 * 1024 / 1e9;
    }
  }
}
