package dev.scoresde.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoresde.EngineSetup;
import dev.scoresde.bench.JavaSide.ConvShape;
import dev.scoresde.sampling.Denoising;
import dev.scoresde.sampling.TimeGrid;
import dev.scoresde.sampling.fast.DpmSolverCoefficients;
import dev.scoresde.sampling.fast.DpmSolverPlusPlus;
import dev.scoresde.sampling.fast.NoiseLevels;
import dev.scoresde.sampling.fast.TimeGridKind;
import dev.scoresde.sde.Sde;
import dev.scoresde.tensor.Npy;
import dev.scoresde.tensor.Rng;
import dev.scoresde.tensor.Scalars;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Java ÷ PyTorch on the same network (issue 16, item 3): an imported reference checkpoint's network in this
 * project's stack (DJL + libtorch, the served path) against the reference implementation's own model class in
 * PyTorch eager mode ({@code tools/torch-bench/bench.py}, a worker process), with the same weights (the
 * checkpoint's EMA), thread count and inputs, in one run. Rows: the machine's raw 3×3 convolution rate on the
 * network's own 3×3 shapes (forward at batch 1, 16, 64; forward and backward at 64), the score function at batch
 * 1, 16 and 64, one training step at batch 64 (loss, backward, Adam, EMA), a 20-step DPM-Solver++(2M) sample of
 * 16 images. After one warm-up call of every row on both sides, {@code --rounds} rounds run every row on both
 * stacks in turn (who goes first alternates), so load from other processes falls on both alike; the table has
 * medians over all timed calls, the ratio PyTorch time ÷ Java time (&gt; 1: Java faster), each side's process CPU
 * time per call (≈ threads × wall on an idle machine) and the U-Net's FLOP rate as a share of the same stack's
 * raw-convolution rate at the same batch. Not a test. Run with:
 * <pre>
 * ./mvnw -B -o -q -DskipTests package
 * mkdir -p target/bench-lib && (cd target/bench-lib && unzip -q -o -j ../score-sde.jar 'BOOT-INF/lib/*')
 * java -cp 'target/classes:target/bench-lib/*' dev.scoresde.bench.TorchComparisonBench \
 *   --model=/work/ref-out/import/cifar10-ncsnpp-ve \
 *   --checkpoint=/work/ref-out/full/ve-cifar10_ncsnpp_continuous/checkpoint.pth \
 *   --reference=/work/ref/score_sde_pytorch --threads=1
 * </pre>
 * Options: {@code --rounds=3}, {@code --seconds=4} (timed seconds per row and round, at least one call),
 * {@code --rows=conv,forward,train,sample}, {@code --batches=1,16,64}, {@code --train-batch=64},
 * {@code --profile=DIR} (instead of timing: one profiled batch-16 forward and batch-64 training step per stack,
 * Chrome traces in DIR, summarised by {@code tools/torch-bench/trace_summary.py}), {@code --python=/usr/bin/python3},
 * {@code --script=tools/torch-bench/bench.py}, {@code --seed=0}. Results: docs/benchmarks.md.
 */
public final class TorchComparisonBench {
  private static final int SAMPLE_BATCH = 16;
  private static final int SAMPLE_STEPS = 20;

  private TorchComparisonBench() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> o = options(argv);
    for (String k : new String[] {"model", "checkpoint", "reference"}) {
      if (!o.containsKey(k)) {
        throw new IllegalArgumentException("--model=DIR --checkpoint=FILE.pth --reference=DIR are required");
      }
    }
    int threads = Integer.parseInt(o.getOrDefault("threads", "1"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
    double seconds = Double.parseDouble(o.getOrDefault("seconds", "4"));
    long seed = Long.parseLong(o.getOrDefault("seed", "0"));
    List<String> rows = List.of(o.getOrDefault("rows", "conv,forward,train,sample").split(","));
    int[] batches = java.util.Arrays.stream(o.getOrDefault("batches", "1,16,64").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    int trainBatch = Integer.parseInt(o.getOrDefault("train-batch", "64"));
    int maxBatch = Math.max(trainBatch, java.util.Arrays.stream(batches).max().orElseThrow());
    // Before the engine loads: DJL reads these once (as EngineSetup does for the service).
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    EngineSetup.offlineByDefault();

    Path work = Files.createTempDirectory("torch-bench");
    ObjectMapper json = new ObjectMapper();
    line("load average at start %.2f on %d cores; %d thread(s) intra-op, 1 inter-op, on both sides", load(),
        Runtime.getRuntime().availableProcessors(), threads);
    try (NDManager manager = NDManager.newBaseManager()) {
      Path model = Path.of(o.get("model"));
      Inputs in = Inputs.write(model, manager, maxBatch, seed, work);
      try (JavaSide java = new JavaSide(model, in.x, in.t, in.x0, manager)) {
        Sde sde = java.score().sde();
        double eps = sde.samplingEps();
        DpmSolverPlusPlus sampler = new DpmSolverPlusPlus(2, false, SAMPLE_STEPS, TimeGridKind.LOG_SNR, eps,
            Denoising.NONE);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("threads", threads);
        job.put("dir", work.toString());
        job.put("config", java.served().card().network().reference().name());
        job.put("schedule", schedule(sde, TimeGridKind.LOG_SNR.grid(sde, eps, SAMPLE_STEPS + 1), sampler.order()));
        Path jobFile = work.resolve("job.json");
        json.writerWithDefaultPrettyPrinter().writeValue(jobFile.toFile(), job);
        try (TorchWorker torch = new TorchWorker(o.getOrDefault("python", "/usr/bin/python3"),
            o.getOrDefault("script", "tools/torch-bench/bench.py"), o.get("reference"), o.get("checkpoint"), jobFile,
            threads, json)) {
          JsonNode setup = torch.call(Map.of("op", "setup"));
          line("PyTorch %s, BLAS %s; Java: DJL %s, libtorch %s; %d parameters (PyTorch counts %d)",
              setup.get("torch_version").asText(), setup.get("blas"), ai.djl.engine.Engine.getDjlVersion(),
              ai.djl.engine.Engine.getEngine("PyTorch").getVersion(),
              dev.scoresde.nn.Networks.parameterCount(java.served().network()), setup.get("params").asLong());
          List<ConvShape> convs = denseConvs(setup.get("convs"));
          Rows table = new Rows(java, torch, rounds, seconds, convs);
          if (o.containsKey("profile")) {
            table.profile(Path.of(o.get("profile")), trainBatch);
            return;
          }
          table.run(rows, batches, trainBatch, sampler, in.xT, seed + 2);
          line("");
          line("threads %d; load average at the end %.2f", threads, load());
          table.print(batches, trainBatch, work);
        }
      }
    }
  }

  /** Inputs both sides use, written as .npy for the PyTorch worker. */
  private record Inputs(NDArray x, NDArray t, NDArray x0, NDArray xT) {
    /** x ~ the marginal at t, t uniform in [eps, 1]; x0 uniform data in [0, 1]; the sampler's prior draw xT. */
    static Inputs write(Path model, NDManager m, int batch, long seed, Path dir) throws IOException {
      var card = dev.scoresde.checkpoint.CheckpointStore.readCard(model);
      Sde sde = card.sde().toSde();
      Shape rest = card.data().batchShape(1).slice(1);
      NDArray t = Scalars.add(Scalars.mul(Rng.of(seed, batch).uniform(m, new Shape(batch)), 1 - sde.samplingEps()),
          sde.samplingEps()).toType(DataType.FLOAT32, false);
      NDArray x = Rng.of(seed + 1, batch).normal(m, new Shape(batch).addAll(rest))
          .mul(sde.marginalStd(m.zeros(new Shape(batch).addAll(rest)), t));
      NDArray x0 = Rng.of(seed + 3, batch).uniform(m, new Shape(batch).addAll(rest));
      NDArray xT = sde.priorSample(m, new Shape(SAMPLE_BATCH).addAll(rest), Rng.of(seed + 2, SAMPLE_BATCH));
      Npy.writeFloat32(x, dir.resolve("x.npy"));
      Npy.writeFloat32(t, dir.resolve("t.npy"));
      Npy.writeFloat32(x0, dir.resolve("x0.npy"));
      Npy.writeFloat32(xT, dir.resolve("xT.npy"));
      return new Inputs(x, t, x0, xT);
    }
  }

  /** The network's dense 3×3 stride-1 convolutions, by shape, with how often each runs per forward pass. */
  static List<ConvShape> denseConvs(JsonNode convs) {
    List<ConvShape> out = new ArrayList<>();
    for (JsonNode c : convs) {
      JsonNode w = c.get("weight");
      boolean dense3x3 = c.get("groups").asInt() == 1 && !c.get("transposed").asBoolean() && w.get(2).asInt() == 3
          && w.get(3).asInt() == 3 && c.get("stride").get(0).asInt() == 1 && c.get("stride").get(1).asInt() == 1;
      if (dense3x3) {
        out.add(new ConvShape(longs(c.get("in_chw")), longs(w), c.get("padding").get(0).asInt(), c.get("count").asInt()));
      }
    }
    return out;
  }

  private static long[] longs(JsonNode a) {
    long[] v = new long[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asLong();
    }
    return v;
  }

  /** The DPM-Solver++(2M) steps exactly as {@link DpmSolverPlusPlus} takes them, for the Python loop. */
  static List<Map<String, Object>> schedule(Sde sde, TimeGrid times, int order) {
    NoiseLevels levels = new NoiseLevels(sde);
    double[] lambdas = new double[order];
    List<Map<String, Object>> steps = new ArrayList<>();
    int n = times.size() - 1;
    for (int i = 0; i < n; i++) {
      double s = times.get(i);
      double t = times.get(i + 1);
      int k = Math.min(order, i + 1); // 20 steps ≥ 15: no lower-order final steps
      System.arraycopy(lambdas, 0, lambdas, 1, order - 1);
      lambdas[0] = levels.lambda(s);
      double[] c = DpmSolverCoefficients.ode(k, lambdas, levels.lambda(t), levels.alpha(t), levels.sigma(t),
          levels.sigma(s));
      Map<String, Object> step = new LinkedHashMap<>();
      step.put("s", (double) (float) s);
      step.put("sigma_s", sde.marginalStd(s));
      step.put("alpha_s", sde.meanCoefficient(s));
      step.put("c", c);
      steps.add(step);
    }
    return steps;
  }

  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static void line(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  static Map<String, String> options(String[] argv) {
    Map<String, String> o = new LinkedHashMap<>();
    for (String a : argv) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("options are --key=value, got " + a);
      }
      o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return o;
  }
}
